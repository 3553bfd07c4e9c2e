// A round badge with the first letter of a name on a colour derived from the
// user id, so one person keeps one colour everywhere. A profile with an
// uploaded picture shows the picture instead.

const PALETTE = ['#e5677d', '#e98a4a', '#d9a521', '#4caf7a', '#2aa3a3', '#3f8ce8', '#7c6ee6', '#c462c4'];

function colourFor(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length] ?? PALETTE[0]!;
}

export function Avatar({ userId, name, size = 44, url }: { userId: string; name: string; size?: number; url?: string }) {
  if (url) {
    return <img class="avatar avatar-image" src={url} alt="" width={size} height={size} loading="lazy" />;
  }

  const initial = Array.from(name.trim())[0]?.toUpperCase() ?? '?';
  return (
    <span
      class="avatar"
      aria-hidden="true"
      style={{ background: colourFor(userId), width: `${size}px`, height: `${size}px`, fontSize: `${size * 0.42}px` }}
    >
      {initial}
    </span>
  );
}
