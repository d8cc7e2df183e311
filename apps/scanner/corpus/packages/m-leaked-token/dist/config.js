module.exports = {
  gitlabUrl: 'https://gitlab.com',
  token: 'glpat-Hq7Rk2Vx9Lm4Np8Tz3Wb',
};
