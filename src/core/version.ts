/** The package version, generated from package.json by scripts/write-version.mjs (npm run build). */
export const VERSION = '0.1.0';
