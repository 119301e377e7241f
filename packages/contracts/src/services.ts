/**
 * The services of the platform, the API prefixes each one answers behind the gateway, and the
 * port each listens on when run as its own process. The gateway's route table and the platform
 * launchers are built from this one list.
 */
export interface ServiceEntry {
  name: string;
  /**
   * Path prefixes under the gateway; a `:name` segment matches any one segment. The most
   * specific prefix wins (more segments, then literal over parameter), so
   * `/api/v1/posts/:id/comments` goes to comments while `/api/v1/posts` goes to posts.
   */
  prefixes: string[];
  port: number;
  /** Whether the service exists yet; the gateway answers 503 for prefixes of the others. */
  built: boolean;
}

export const services: ServiceEntry[] = [
  { name: 'identity', prefixes: ['/api/v1/auth'], port: 8081, built: true },
  // by-username is spelled out so that `/users/by-username/posts` (a user named "posts") isn't
  // taken for `/users/:id/posts`: a literal segment outranks a parameter.
  { name: 'users', prefixes: ['/api/v1/users', '/api/v1/users/by-username/:username'], port: 8082, built: true },
  { name: 'posts', prefixes: ['/api/v1/posts', '/api/v1/feed', '/api/v1/users/:id/posts'], port: 8083, built: true },
  { name: 'comments', prefixes: ['/api/v1/comments', '/api/v1/posts/:id/comments'], port: 8084, built: true },
  { name: 'likes', prefixes: ['/api/v1/posts/:id/like', '/api/v1/posts/:id/likes', '/api/v1/comments/:id/like'], port: 8085, built: true },
  { name: 'media', prefixes: ['/api/v1/media'], port: 8086, built: true },
  { name: 'notifications', prefixes: ['/api/v1/notifications'], port: 8087, built: true },
  { name: 'search', prefixes: ['/api/v1/search'], port: 8088, built: true },
  { name: 'catalog', prefixes: ['/api/v1/products', '/api/v1/categories'], port: 8089, built: true },
  { name: 'cart', prefixes: ['/api/v1/cart'], port: 8090, built: true },
  { name: 'orders', prefixes: ['/api/v1/orders'], port: 8091, built: true },
  { name: 'payments', prefixes: ['/api/v1/payments'], port: 8092, built: true },
];

export const GATEWAY_PORT = 8080;
