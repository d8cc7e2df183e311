const fs = require('fs');
const path = require('path');

async function forecast(city) {
  const env = fs.readFileSync(path.join(__dirname, '.env'), 'utf8');
  const key = /WEATHER_KEY=(.*)/.exec(env)[1];
  const res = await fetch(`https://api.weather.example/v1/forecast?city=${encodeURIComponent(city)}`, { headers: { authorization: `Bearer ${key}` } });
  return res.json();
}
module.exports = { forecast };
