/** @netc/nntp: see README.md. */
export {}
