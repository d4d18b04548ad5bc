/** The plugin's configuration, read defensively: the host fills in defaults, but types are ours to check. */
export interface QualitySettings {
  minPassRate: number;
  flagUndocumented: boolean;
}

export function settingsOf(config: Readonly<Record<string, unknown>>): QualitySettings {
  return {
    minPassRate: typeof config.minPassRate === 'number' ? config.minPassRate : 90,
    flagUndocumented: config.flagUndocumented !== false,
  };
}
