// A short "browser on system" summary of a User-Agent header for the session
// list. Order matters: Edge and Opera also claim Chrome, Chrome also claims
// Safari, and iPadOS may claim macOS.

const BROWSERS: readonly [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
];

const SYSTEMS: readonly [RegExp, string][] = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

export interface UserAgentSummary {
  browser: string | null;
  os: string | null;
}

export function summarizeUserAgent(userAgent: string): UserAgentSummary {
  return { browser: firstMatch(BROWSERS, userAgent), os: firstMatch(SYSTEMS, userAgent) };
}

function firstMatch(patterns: readonly [RegExp, string][], userAgent: string): string | null {
  for (const [pattern, name] of patterns) {
    if (pattern.test(userAgent)) return name;
  }
  return null;
}
