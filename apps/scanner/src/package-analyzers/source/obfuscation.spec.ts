import { analyzeObfuscation } from './obfuscation';

const hexIdents = Array.from({ length: 20 }, (_, i) => `var _0x${(0x1a2b + i * 7).toString(16)}=${i};`).join('');

describe('TP-SRC-004 obfuscation', () => {
  it('flags obfuscator.io output high, medium with a source map', () => {
    const text = `${hexIdents}\n(function(_0x1a2b,_0x1a32){while(!![]){try{_0x1a2b.push(_0x1a2b.shift());}catch(e){}}})();`;
    expect(analyzeObfuscation({ path: 'index.js', text, hasSourceMap: false }).map((f) => `${f.ruleId} ${f.severity} ${f.confidence}`)).toEqual(['TP-SRC-004 high high']);
    expect(analyzeObfuscation({ path: 'index.js', text, hasSourceMap: true }).map((f) => f.severity)).toEqual(['medium']);
  });

  it('flags packed eval and escape runs', () => {
    expect(analyzeObfuscation({ path: 'a.js', text: "eval(function(p,a,c,k,e,d){return p}('0 1',2,2,'a|b'.split('|'),0,{}))", hasSourceMap: false })).toHaveLength(1);
    expect(analyzeObfuscation({ path: 'a.js', text: `var s = "${'\\x41'.repeat(80)}";`, hasSourceMap: false })).toHaveLength(1);
  });

  it('a minified bundle is low without a source map and nothing with one', () => {
    const minified = `!function(){${'var a=1,b=2;function c(d){return d+a+b}'.repeat(200)}}();`;
    expect(analyzeObfuscation({ path: 'dist/bundle.min.js', text: minified, hasSourceMap: false }).map((f) => f.severity)).toEqual(['low']);
    expect(analyzeObfuscation({ path: 'dist/bundle.min.js', text: `${minified}\n//# sourceMappingURL=bundle.min.js.map`, hasSourceMap: true })).toEqual([]);
  });

  it('a queue using push(shift()) is not a string-array rotation', () => {
    expect(analyzeObfuscation({ path: 'q.js', text: 'while (queue.length) { out.push(queue.shift()); }', hasSourceMap: false })).toEqual([]);
  });
});

describe('TP-SRC-004 escape runs', () => {
  it('ignores character tables of non-ASCII escapes (iconv-lite)', () => {
    const table = `var chars = "${'\\xC4\\u0100\\u0101\\xC9'.repeat(30)}";`;
    expect(analyzeObfuscation({ path: 'bin/cli.mjs', text: table, hasSourceMap: false })).toEqual([]);
  });
});
