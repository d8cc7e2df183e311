import { pkg } from '../__fixtures__/package-builder';
import { analyzeSecrets, redact } from './secrets.analyzer';

// Built by concatenation so this spec file itself does not look like a leaked credential.
const GH = 'ghp_' + 'R7x2Kq9LmZp4Vt8Nw3Ys6Hb1Jc5Fd0Ge7Aa9';
const AWS_ID = 'AKIA' + 'Q3ZJ7R2M5N6P4T2W';
const AWS_SECRET = 'wJ7aR2tXUtnFEMI/K7MDENG/bPxRfiCY' + '9Zk3Lm8Q';
const STRIPE = 'sk_live_' + '51Hx8Kq2Lm9Np4Rt7Vw3Yz6Ab';
const ANTHROPIC = 'sk-ant-' + 'api03-Zx8Kq2Lm9Np4Rt7Vw3Yz6AbCdEf';
const OPENAI = 'sk-proj-' + 'Q8w2Er5Ty7Ui9Op3As6Df1Gh4Jk';
const NPM = 'npm_' + 'Zx8Kq2Lm9Np4Rt7Vw3Yz6AbCdEf0GhIjKlMn';
const SLACK = 'xoxb-' + '2837465019-9384756102-Ab3Cd5Ef7Gh9Ij1Kl';
const GOOGLE = 'AIza' + 'SyD8Kq2Lm9Np4Rt7Vw3Yz6AbCdEf0GhIjKl';
const GITLAB = 'glpat-' + 'Zx8Kq2Lm9Np4Rt7Vw3Yz';
const PASSWORD = 'Tr0ub4dor&3xK!';
const PEM_BODY = 'MIIEowIBAAKCAQEAx8Kq2Lm9Np4Rt7Vw3Yz6AbCdEf0GhIjKlMnOpQrStUvWxYz1234567890abcdefghijklmnopqrstuvwxyz';
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----`;
const RAW = [GH, AWS_ID, AWS_SECRET, STRIPE, ANTHROPIC, OPENAI, NPM, SLACK, GOOGLE, GITLAB, PASSWORD, PEM_BODY];

const leaky = pkg({
  'dist/config.js': [
    `const token = "${GH}";`,
    `const aws = { accessKeyId: "${AWS_ID}", aws_secret_access_key: "${AWS_SECRET}" };`,
    `stripe("${STRIPE}");`,
    `const anthropic = new Anthropic({ apiKey: "${ANTHROPIC}" });`,
    `const openai = "${OPENAI}";`,
    `// ${NPM}`,
    `slack.auth("${SLACK}"); maps("${GOOGLE}"); gitlab("${GITLAB}");`,
    `const dbPassword = "${PASSWORD}";`,
  ].join('\n'),
  'keys/deploy.pem': PEM,
});

describe('secrets', () => {
  const findings = analyzeSecrets(leaky);

  it('finds every provider format, the private key and the password', () => {
    expect(findings.map((f) => `${f.ruleId} ${f.severity} ${f.location}`).sort()).toEqual(
      [
        'TP-SEC-001 high dist/config.js:1',
        'TP-SEC-001 high dist/config.js:2',
        'TP-SEC-001 high dist/config.js:2',
        'TP-SEC-001 high dist/config.js:3',
        'TP-SEC-001 high dist/config.js:4',
        'TP-SEC-001 high dist/config.js:5',
        'TP-SEC-001 high dist/config.js:6',
        'TP-SEC-001 high dist/config.js:7',
        'TP-SEC-001 high dist/config.js:7',
        'TP-SEC-001 high dist/config.js:7',
        'TP-SEC-003 medium dist/config.js:8',
        'TP-SEC-002 critical keys/deploy.pem:1',
      ].sort(),
    );
  });

  it('never puts a raw secret (or a long piece of one) in a finding', () => {
    const serialized = JSON.stringify(findings);
    for (const secret of RAW) {
      expect(serialized).not.toContain(secret);
      for (let i = 0; i + 12 <= secret.length; i++) expect(serialized).not.toContain(secret.slice(i, i + 12));
    }
    expect(findings.find((f) => f.location === 'dist/config.js:1')!.evidence).toBe(`[GitHub token] ghp_…${GH.slice(-4)}`);
  });

  it('redacts short values without their tail', () => {
    expect(redact('hunter22', 0)).toBe('…(8 chars)');
    expect(redact(GH, 4)).toBe(`ghp_…${GH.slice(-4)}`);
  });

  it('suppresses documented placeholders, example files and templating', () => {
    const benign = pkg({
      'README.md': 'Set AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE and AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      '.env.example': `GITHUB_TOKEN=${GH}\nOPENAI_API_KEY=sk-proj-your_key_here_xxxxxxxxxxxxxxxx`,
      'src/config.ts': 'const apiKey = process.env.API_KEY;\nconst token = "${TOKEN}";\nconst password = "<your password>";\nconst gh = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";\nconst passwordField = "password";',
      'src/lock.ts': 'const integrity = "sha512-Zx8Kq2Lm9Np4Rt7Vw3Yz6AbCdEf0GhIjKlMnOpQr";\nconst commitSha = "9fceb02d0ae598e95dc970b74767f19372d61af8";',
      'src/i18n.ts': 'const messages = { fr: "Mot de passe incorrect", ja: "パスワードが違います", token: "トークン" };',
    });
    expect(analyzeSecrets(benign)).toEqual([]);
  });

  it('drops to low under tests and docs', () => {
    const found = analyzeSecrets(pkg({ 'test/fixtures/creds.js': `module.exports = { token: "${GH}" };` }));
    expect(found.map((f) => `${f.severity} ${f.confidence}`)).toEqual(['low low']);
  });

  it('skips vendored node_modules', () => {
    expect(analyzeSecrets(pkg({ 'node_modules/lib/test.js': `const k = "${GH}";` }))).toEqual([]);
  });
});
