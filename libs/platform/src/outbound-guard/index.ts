export * from './ip-address';
export * from './address-policy';
export * from './host-guard';
export * from './checking-lookup';
