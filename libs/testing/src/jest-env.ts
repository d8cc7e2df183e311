// Loaded before every integration test file (jest.int.config.js `setupFiles`).
// No OpenTelemetry collector runs in tests: the default metrics exporter would stall shutdown ~8 s.
process.env['OTEL_METRICS_EXPORTER'] ??= 'none';
process.env['OTEL_TRACES_EXPORTER'] ??= 'none';
process.env['OTEL_LOGS_EXPORTER'] ??= 'none';
