/** The package's version, shown by `nucleus-rx --version`. Kept equal to package.json by a test. */
export const VERSION = '0.1.0';
