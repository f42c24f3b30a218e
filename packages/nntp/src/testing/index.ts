/** @netc/nntp/testing: an in-process fake server for tests. */
export {}
