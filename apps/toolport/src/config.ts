import { EnvReader, type PlatformConfig } from '@toolport/config';
import { SERVICE_NAMES, type ServiceName } from '@toolport/contracts';
import { SERVICES } from './services';

export interface LauncherConfig {
  host: string;
  port: number;
  /** The same environment read once per service, so each carries its own service name. */
  services: Record<ServiceName, PlatformConfig>;
  otlpEndpoint: string | null;
}

/** The all-in-one process: one port (PORT, default 8080) in front of the five services. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LauncherConfig {
  const read = new EnvReader(env);
  const host = read.string('HOST', '127.0.0.1');
  const port = read.int('PORT', 8080, { min: 0, max: 65535 });
  read.done();
  const services = Object.fromEntries(SERVICE_NAMES.map((name) => [name, SERVICES[name].loadConfig(env)])) as Record<ServiceName, PlatformConfig>;
  return { host, port, services, otlpEndpoint: services.publisher.otlpEndpoint };
}
