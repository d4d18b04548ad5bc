/** Soft background and ink pairs for letter avatars, picked by the plugin's name so each keeps its colour. */
const palette = [
  ['#e8effd', '#1d4ed8'],
  ['#e3f5e9', '#157f3b'],
  ['#fdf0d9', '#a15c07'],
  ['#f3e8fd', '#7e22ce'],
  ['#e0f4f7', '#0e7490'],
  ['#fde7ef', '#be185d'],
] as const;

/** The first letter or digit of the display name (else of the name), upper-cased; `?` when there is none. */
export function avatarLetter(displayName: string | undefined, name: string): string {
  const letter = [...`${displayName ?? ''}${name}`].find((c) => /[\p{L}\p{N}]/u.test(c));
  return letter ? letter.toLocaleUpperCase() : '?';
}

function paletteIndex(name: string): number {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return hash % palette.length;
}

/** A plugin's icon, or a letter avatar from its display name when it ships none. */
export function PluginIcon({
  iconUrl,
  displayName,
  name,
  size = 'large',
}: {
  iconUrl?: string;
  displayName?: string;
  name: string;
  size?: 'large' | 'small';
}) {
  const className = `wb-plugin-icon${size === 'small' ? ' wb-plugin-icon-small' : ''}`;
  if (iconUrl) return <img src={iconUrl} alt="" className={className} />;
  const [background, color] = palette[paletteIndex(name)]!;
  return (
    <span
      className={`${className} wb-plugin-avatar`}
      style={{ background, color }}
      aria-hidden="true"
      data-testid="plugin-avatar"
    >
      {avatarLetter(displayName, name)}
    </span>
  );
}
