// The common shape of everything a data source yields, before tokenisation and packing.
// Synthetic-world generators and real-format readers all produce these.

/** An 8-bit RGB image, row-major [H, W, 3]. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export type Segment = { kind: 'text'; text: string } | { kind: 'image'; image: RgbImage };

export type SourceKind = 'interleaved' | 'caption' | 'synthetic-caption' | 'text';

/** A pretraining document: text and images in reading order. */
export interface Document {
  source: SourceKind;
  /** Stable id (e.g. "world:caption:seed7:42" or "coco:391895"), for logs and de-duplication. */
  id: string;
  segments: Segment[];
}

/** A fine-tuning conversation (LLaVA-style): loss goes on assistant turns only. */
export interface Conversation {
  id: string;
  turns: { role: 'user' | 'assistant'; segments: Segment[] }[];
}
