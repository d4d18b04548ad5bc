import { z } from 'zod';

// The shell's Content-Security-Policy forbids eval (server/http/security-headers.ts). zod compiles fast object
// parsers with `new Function` unless told not to, and probes for it when each object schema is built, which the
// browser reports as a CSP violation: so this module is imported before any module that builds a schema.
z.config({ jitless: true });
