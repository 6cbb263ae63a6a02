// Types of pack-cli.mjs for the tests that run the release recipe.
export function packCli(outDir: string): Promise<string>;
