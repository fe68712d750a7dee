export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  unreachable: 3,
  alreadyRunning: 4,
} as const;
