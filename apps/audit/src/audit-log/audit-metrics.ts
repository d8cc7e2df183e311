import { counter, gauge } from '@toolport/observability';

/** The audit log's Prometheus metrics (get-or-create by name: see libs/observability/src/metrics.ts). */
export const auditMetrics = {
  appended: () => counter('toolport_audit_events_total', 'Events the audit log was given, by outcome (recorded, duplicate)', ['outcome']),
  treeSize: () => gauge('toolport_audit_tree_size', 'Records in the audit log as the tree-head signer last saw it'),
  signedTreeSize: () => gauge('toolport_audit_signed_tree_size', 'Tree size of the latest signed tree head'),
};
