/** @netc/ftp: see README.md. */
export {}
