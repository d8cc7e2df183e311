import type { DataOf, EventOf, HealthStatus, HealthStatusChanged, ToolDriftDetected } from '@toolport/contracts';
import type { EventShape } from '@toolport/event-store';

/** One remote endpoint of one server version: the aggregate behind HealthStatusChanged and ToolDriftDetected. */
export interface EndpointRef {
  serverName: string;
  version: string;
  /** The remote's URL as published (a template stays a template: it names the endpoint). */
  remoteUrl: string;
}

export type EndpointEvent = EventOf<typeof HealthStatusChanged> | EventOf<typeof ToolDriftDetected>;
export type HealthStatusChangedData = DataOf<typeof HealthStatusChanged>;
export type ToolDriftDetectedData = DataOf<typeof ToolDriftDetected>;

/**
 * What the events say. The hysteresis counters are not here: events are appended only on a
 * change, so consecutive failures and successes come with each command from the stored probes.
 */
export interface EndpointState {
  status: HealthStatus | null;
  reason: string;
  lastDrift: { approvedToolListHash: string; observedToolListHash: string; detectedAt: string } | null;
}

export const initialEndpointState = (): EndpointState => ({ status: null, reason: '', lastDrift: null });

export function evolveEndpoint(state: EndpointState, event: EventShape<EndpointEvent>): EndpointState {
  switch (event.type) {
    case 'HealthStatusChanged':
      return { ...state, status: event.data.status, reason: event.data.reason };
    case 'ToolDriftDetected':
      return {
        ...state,
        lastDrift: {
          approvedToolListHash: event.data.approvedToolListHash,
          observedToolListHash: event.data.observedToolListHash,
          detectedAt: event.data.detectedAt,
        },
      };
  }
}

/** One event stream per endpoint; the id is the target's (see targets/target-id.ts). */
export const endpointStreamId = (targetId: string): string => `endpoint-${targetId}`;
