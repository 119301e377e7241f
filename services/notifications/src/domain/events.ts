/**
 * The notifications service's name on the bus: its queue and its key in processed_events. It
 * publishes no events; what it consumes is listed in consumers/index.ts.
 */
export const SERVICE_NAME = 'notifications';
