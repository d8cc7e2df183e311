const { S3Client } = require('@aws-sdk/client-s3');
const client = new S3Client({ credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY } });
const password = process.env.DB_PASSWORD || '${DB_PASSWORD}';
module.exports = { client, password };
