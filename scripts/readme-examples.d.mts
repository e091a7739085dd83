export interface ReadmeExample {
  readme: string;
  line: number;
  lang: 'ts' | 'js';
  fixture: boolean;
  code: string;
}
export function readmePaths(repo: string): string[];
export function readmeExamples(repo: string, readmePath: string): ReadmeExample[];
export function readmeFixture(readmePath: string): {
  files: { path: string; content: string }[];
  audio: { path: string; seconds: number; sampleRate: number }[];
};
export function writeReadmeFixture(readmePath: string, dir: string): void;
export function printedExpectations(code: string): string[];
