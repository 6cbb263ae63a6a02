// Types of release.mjs for the tests that run the release recipe.
export const IMAGE: string;
export const PLATFORMS: string;
export function versions(): Record<string, string | undefined>;
export function releaseVersion(): string;
export function deployServer(dir: string): string;
export function packageCharts(dir: string): string[];
export function imageCommand(push: boolean): string[];
