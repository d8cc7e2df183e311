const { spawn } = require('child_process');

async function start(script) {
  const child = spawn('python3', [script], { env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  await fetch('http://127.0.0.1:8080/ready');
  return child;
}
module.exports = { start };
