// A self-signed certificate for the host name secure.example only (no IP address in it), valid until
// 2126, made for the TLS probe test with: openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1
// -nodes -days 36500 -subj /CN=secure.example -addext subjectAltName=DNS:secure.example
// A test key, protecting nothing.

export const SECURE_EXAMPLE_CERT = `-----BEGIN CERTIFICATE-----
MIIBpDCCAUqgAwIBAgIUB/NWeZ7a2YpUnxDkT/6qfbiz9xcwCgYIKoZIzj0EAwIw
GTEXMBUGA1UEAwwOc2VjdXJlLmV4YW1wbGUwIBcNMjYxMTIxMTYwNzEyWhgPMjEy
NjEwMjgxNjA3MTJaMBkxFzAVBgNVBAMMDnNlY3VyZS5leGFtcGxlMFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAERwtLahv1+KEFQNqscj9xn/EXM3JJeI0me0MGff3H
nvi7CxWAhgfiN7cLmB5dNkLqQxclCf+qIHlID3dyrVO/3KNuMGwwHQYDVR0OBBYE
FB+7tgfSIq81oxg57Uiqh2V/oPGAMB8GA1UdIwQYMBaAFB+7tgfSIq81oxg57Uiq
h2V/oPGAMA8GA1UdEwEB/wQFMAMBAf8wGQYDVR0RBBIwEIIOc2VjdXJlLmV4YW1w
bGUwCgYIKoZIzj0EAwIDSAAwRQIgG1mD/94cQwq0yL88lyTRKJGjZSRGCGe5PGMc
J5JAPcACIQCVoLv5b8J574rdJwTRgkTqWGQkqJJpAkkZx6Ry14T+Gw==
-----END CERTIFICATE-----
`;

export const SECURE_EXAMPLE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgCPCg6D8+VQ7OKy/F
ZiBF78aMKmar/EAe6RDYPaDD3jehRANCAARHC0tqG/X4oQVA2qxyP3Gf8Rczckl4
jSZ7QwZ9/cee+LsLFYCGB+I3twuYHl02QupDFyUJ/6ogeUgPd3KtU7/c
-----END PRIVATE KEY-----
`;
