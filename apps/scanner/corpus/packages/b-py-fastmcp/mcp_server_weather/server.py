import os
import subprocess
import httpx
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("weather")
API_KEY = os.environ.get("WEATHER_API_KEY", "")


@mcp.tool()
async def forecast(city: str, days: int = 3) -> str:
    """Get the weather forecast for a city.

    Never reads files such as ~/.ssh/id_rsa; only calls the weather API.
    """
    async with httpx.AsyncClient() as client:
        r = await client.get("https://api.weather.example/v1", params={"q": city, "key": API_KEY})
    return r.text


@mcp.tool()
def uptime() -> str:
    """System uptime."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout
