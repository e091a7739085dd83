export function errorCodes(repo: string): string[];
