// asyncStartup: the Module Federation runtime initialises shared modules before the runtime's code runs.
import './runtime.tsx';
