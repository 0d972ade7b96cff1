package snapshot

const sysMemfdCreate = 279
