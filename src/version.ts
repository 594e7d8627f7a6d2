/** The package version, kept out of generated output on purpose (no version, no timestamp). */
export const VERSION = "0.1.0";
