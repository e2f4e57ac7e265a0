import { ensureHeapLimits } from './heap-limits.js';

// before anything is loaded: the process is replaced by one with bounded heap sizes
ensureHeapLimits();
await import('./service.js');
