import { extractPythonTools, pyString } from './python-tools';

describe('Python tool extraction', () => {
  it('reads FastMCP decorated functions with docstrings and signatures', () => {
    const src = `from mcp.server.fastmcp import FastMCP, Context\nmcp = FastMCP("demo")\n\n@mcp.tool()\nasync def get_forecast(latitude: float, longitude: float, units: str = "metric", ctx: Context = None) -> str:\n    """Get the weather forecast.\n\n    Args:\n        latitude: Latitude\n    """\n    return ""\n\n@mcp.tool(name="add_numbers", description="Adds two numbers")\ndef add(a: int, b: Annotated[int, Field(description="second")]) -> int:\n    return a + b\n`;
    expect(extractPythonTools('server.py', src).map((t) => ({ ...t.tool, line: t.line }))).toEqual([
      {
        name: 'get_forecast',
        description: 'Get the weather forecast.\n\nArgs:\n    latitude: Latitude',
        inputSchema: { type: 'object', properties: { latitude: { type: 'number' }, longitude: { type: 'number' }, units: { type: 'string' } }, required: ['latitude', 'longitude'] },
        line: 4,
      },
      { name: 'add_numbers', description: 'Adds two numbers', inputSchema: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer', description: 'second' } }, required: ['a', 'b'] }, line: 13 },
    ]);
  });

  it('reads the low-level types.Tool(...) and bare @mcp.tool', () => {
    const src = `@server.tool\ndef ping():\n    "Replies pong"\n    return "pong"\n\ntypes.Tool(name="fetch", description="Fetches a URL", inputSchema=Fetch.model_json_schema())\n`;
    expect(extractPythonTools('s.py', src).map((t) => [t.tool.name, t.tool.description])).toEqual([
      ['ping', 'Replies pong'],
      ['fetch', 'Fetches a URL'],
    ]);
  });

  it('pyString reads literals and refuses expressions', () => {
    expect(pyString(`"a" 'b'`)).toBe('ab');
    expect(pyString('f"x{y}"')).toBeUndefined();
    expect(pyString('DESC')).toBeUndefined();
  });
});
