/** The internal snapshot that holds a suspended VM's memory; hidden from snapshot lists. */
export const SUSPEND_SNAPSHOT = 'twinbox-suspend';
