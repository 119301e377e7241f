/** The request and response shapes of API.md's media section; responses name every field they may carry. */
import { Type } from 'typebox';
import { Timestamp, Uuid } from '@agora/kit/http/schemas';

export const Media = Type.Object(
  {
    id: Uuid,
    ownerId: Type.String({ format: 'uuid', description: 'Who uploaded it' }),
    url: Type.String({ description: 'Absolute URL of the image: its own format, metadata stripped, longest side at most 2048 px' }),
    thumbnailUrl: Type.String({ description: 'Absolute URL of a WebP thumbnail, longest side at most 320 px' }),
    contentType: Type.Unsafe<string>({
      type: 'string',
      enum: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
      description: 'Of the image at `url`, judged from its content',
    }),
    size: Type.Integer({ minimum: 1, description: 'Bytes of the image at `url` (after processing)' }),
    width: Type.Integer({ minimum: 1, description: 'Of the image at `url`, in pixels (one frame of an animation)' }),
    height: Type.Integer({ minimum: 1 }),
    createdAt: Timestamp,
  },
  { title: 'Media' },
);

/** Documents the multipart form; the route reads it itself (see upload.routes.ts), so it isn't validated as JSON. */
export const UploadForm = Type.Object(
  { file: Type.String({ format: 'binary', description: 'A JPEG, PNG, WebP or GIF image of at most 10 MiB' }) },
  { required: ['file'], additionalProperties: false },
);

const Binary = { schema: { type: 'string', format: 'binary' } };

/** The bytes of a rendition, streamed. */
export const ImageBytes = (types: string[], description: string) =>
  Type.Unsafe<unknown>({ description, content: Object.fromEntries(types.map((type) => [type, Binary])) });

export const NotModified = Type.Null({ description: 'Not modified: the If-None-Match validator matches' });
