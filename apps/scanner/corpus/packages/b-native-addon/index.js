module.exports = require('./build/Release/hash.node');
