'use client';

import { type DragEvent, useCallback, useEffect, useRef, useState } from 'react';

import type { ChatChannel } from '../../lib/getStreamClient';
import { describeError, type ChatMessage } from './format';
import './files.css';

/** An attachment as a message carries it (Stream's Attachment). */
export type ChatAttachment = NonNullable<ChatMessage['attachments']>[number];

/** The images the backend's /image takes (it checks the content; this only picks the endpoint). */
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/** "1.2 MB", "340 KB", "12 B". */
export function fileSize(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let size = bytes / 1000;
  let unit = 0;
  while (size >= 1000 && unit < units.length - 1) {
    size /= 1000;
    unit += 1;
  }
  return `${size < 10 ? size.toFixed(1) : Math.round(size)} ${units[unit]}`;
}

/** A file being uploaded for the next message: its progress, then what the server answered. */
export interface PendingUpload {
  key: string;
  file: File;
  image: boolean;
  /** A local preview of an image (an object URL) while it uploads. */
  preview?: string;
  loaded: number;
  attachment?: ChatAttachment;
  error?: string;
}

/** The uploads of one composer: each file goes up as soon as it is picked or dropped. */
export function useUploads(channel: ChatChannel) {
  const [uploads, setUploads] = useState<PendingUpload[]>([]);
  const previews = useRef(new Set<string>());
  const change = (key: string, update: Partial<PendingUpload>) =>
    setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...update } : u)));

  useEffect(() => {
    const held = previews.current;
    return () => held.forEach((url) => URL.revokeObjectURL(url));
  }, []);

  const add = useCallback(
    (files: Iterable<File>) => {
      for (const file of files) {
        const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
        const image = IMAGE_TYPES.has(file.type);
        const preview = image ? URL.createObjectURL(file) : undefined;
        if (preview) previews.current.add(preview);
        setUploads((all) => [...all, { key, file, image, preview, loaded: 0 }]);
        const config = {
          onUploadProgress: ({ loaded }: { loaded: number }) => change(key, { loaded }),
        };
        const upload = image
          ? channel.sendImage(file, file.name, file.type, undefined, config)
          : channel.sendFile(file, file.name, file.type || undefined, undefined, config);
        upload.then(
          (answer) =>
            change(key, {
              loaded: file.size,
              attachment: image
                ? {
                    type: 'image',
                    image_url: answer.file,
                    thumb_url: answer.thumb_url,
                    title: file.name,
                  }
                : { type: 'file', asset_url: answer.file, title: file.name, file_size: file.size },
            }),
          (failure: unknown) => change(key, { error: describeError(failure) }),
        );
      }
    },
    [channel],
  );

  const remove = (key: string) => setUploads((all) => all.filter((u) => u.key !== key));
  const clear = () => setUploads([]);
  const ready = uploads.flatMap((u) => (u.attachment ? [u.attachment] : []));
  const busy = uploads.some((u) => !u.attachment && !u.error);
  return { uploads, add, remove, clear, ready, busy };
}

/** The paperclip: picks files to attach. */
export function AttachButton({
  onFiles,
  disabled,
}: {
  onFiles(files: File[]): void;
  disabled?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="attach"
        aria-label="Attach files"
        title="Attach files"
        data-testid="attach-button"
        disabled={disabled}
        onClick={() => input.current?.click()}
      >
        📎
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="attach-input"
        onChange={(event) => {
          onFiles([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
    </>
  );
}

/** Drag-and-drop onto an element: the handlers to spread on it, and whether files are over it. */
export function useDropZone(onFiles: (files: File[]) => void, enabled: boolean) {
  const [over, setOver] = useState(false);
  const hasFiles = (event: DragEvent) => enabled && event.dataTransfer.types.includes('Files');
  return {
    over,
    handlers: {
      onDragOver: (event: DragEvent) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        setOver(true);
      },
      onDragLeave: () => setOver(false),
      onDrop: (event: DragEvent) => {
        setOver(false);
        if (!hasFiles(event)) return;
        event.preventDefault();
        onFiles([...event.dataTransfer.files]);
      },
    },
  };
}

/** The files waiting to go with the next message: previews, names, sizes and progress bars. */
export function PendingUploads({
  uploads,
  onRemove,
}: {
  uploads: PendingUpload[];
  onRemove(key: string): void;
}) {
  if (uploads.length === 0) return null;
  return (
    <ul className="pending-uploads" data-testid="pending-uploads">
      {uploads.map((upload) => (
        <li
          key={upload.key}
          className={upload.error ? 'pending failed' : 'pending'}
          data-testid="pending-upload"
          data-state={upload.error ? 'failed' : upload.attachment ? 'done' : 'uploading'}
        >
          {upload.preview ? (
            <img src={upload.preview} alt="" className="pending-preview" />
          ) : (
            <span className="file-icon" aria-hidden>
              📄
            </span>
          )}
          <span className="pending-name">{upload.file.name}</span>
          <span className="pending-size">{fileSize(upload.file.size)}</span>
          {upload.error ? (
            <span role="alert" className="error" data-testid="upload-error">
              {upload.error}
            </span>
          ) : (
            <progress
              max={upload.file.size || 1}
              value={upload.loaded}
              data-testid="upload-progress"
              aria-label={`Uploading ${upload.file.name}`}
            />
          )}
          <button
            type="button"
            className="close"
            aria-label={`Remove ${upload.file.name}`}
            onClick={() => onRemove(upload.key)}
          >
            ✕
          </button>
        </li>
      ))}
    </ul>
  );
}

/** A message's attachments: image previews that open full size, and file chips. */
export function AttachmentList({ message }: { message: ChatMessage }) {
  const [open, setOpen] = useState<ChatAttachment | null>(null);
  const attachments = message.attachments ?? [];
  if (attachments.length === 0 || message.type === 'deleted') return null;
  return (
    <div className="attachments" data-testid="attachments">
      {attachments.map((attachment, index) =>
        attachment.type === 'image' && attachment.image_url ? (
          <button
            key={index}
            type="button"
            className="image-preview"
            data-testid="image-preview"
            aria-label={`Open ${attachment.title ?? 'the image'} full size`}
            onClick={() => setOpen(attachment)}
          >
            {/* Plain <img>: the backend serves the signed file; no image optimiser in between. */}
            <img
              src={attachment.thumb_url ?? attachment.image_url}
              alt={attachment.title ?? 'image'}
              width={previewSize(attachment).width}
              height={previewSize(attachment).height}
              loading="lazy"
            />
          </button>
        ) : (
          <a
            key={index}
            className="file-chip"
            data-testid="file-chip"
            href={attachment.asset_url ?? attachment.image_url}
            download={attachment.title}
            target="_blank"
            rel="noreferrer"
          >
            <span className="file-icon" aria-hidden>
              📄
            </span>
            <span className="file-name">{attachment.title ?? 'file'}</span>
            <span className="file-size">{fileSize(attachment.file_size)}</span>
          </a>
        ),
      )}
      {open && <Lightbox attachment={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** The preview's box: the image's shape, at most 240 × 180 pixels. */
function previewSize(attachment: ChatAttachment): { width?: number; height?: number } {
  const { original_width: width, original_height: height } = attachment;
  if (!width || !height) return {};
  const scale = Math.min(1, 240 / width, 180 / height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/** An image full size over the page; Escape, the button or a click outside closes it. */
function Lightbox({ attachment, onClose }: { attachment: ChatAttachment; onClose(): void }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div
      className="lightbox"
      role="dialog"
      aria-modal="true"
      aria-label={attachment.title ?? 'Image'}
      data-testid="lightbox"
      onClick={onClose}
    >
      <img
        src={attachment.image_url}
        alt={attachment.title ?? 'image'}
        data-testid="lightbox-image"
        onClick={(event) => event.stopPropagation()}
      />
      <button type="button" className="close" aria-label="Close" onClick={onClose}>
        ✕
      </button>
    </div>
  );
}
