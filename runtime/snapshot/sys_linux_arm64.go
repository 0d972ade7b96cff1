package snapshot

const sysMemfdCreate = 279

const sysUserfaultfd = 282
