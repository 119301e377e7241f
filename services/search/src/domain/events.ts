/** The search service's name on the bus. It publishes no events: it only reads other services' ones. */
export const SERVICE_NAME = 'search';
