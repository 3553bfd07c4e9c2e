// A button that opens the file picker for a PNG, JPEG or WebP picture. The
// input is cleared once `onFile` settles, so picking the same file again
// fires another change.

import { useRef } from 'preact/hooks';

interface Props {
  label: string;
  testId: string;
  disabled: boolean;
  onFile(file: File): Promise<void>;
}

export function ImageFileButton({ label, testId, disabled, onFile }: Props) {
  const input = useRef<HTMLInputElement>(null);

  function picked(file: File) {
    void onFile(file).finally(() => {
      if (input.current) input.current.value = '';
    });
  }

  return (
    <label class="button button-quiet">
      {label}
      <input
        ref={input}
        class="visually-hidden"
        type="file"
        accept="image/png,image/jpeg,image/webp"
        data-testid={testId}
        disabled={disabled}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (file) picked(file);
        }}
      />
    </label>
  );
}
