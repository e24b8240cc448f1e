//! The output path of the commands that turn many documents into one output each (`geoparse`,
//! `read`): the main thread reads items (whole files, or JSON lines still undecoded; see
//! `sitrep_read::intake::for_each_raw`) into batches of a few megabytes; each batch is decoded,
//! worked and rendered on all cores (rayon), every document straight into a buffer of its own,
//! in input order; one writer thread writes the buffers to standard output in large blocks
//! while the next batch is read and worked.

use std::{io::Write, sync::mpsc};

use anyhow::{Context, Result};
use rayon::prelude::*;
use sitrep_read::intake::{self, Document, Raw, Source};

/// Output for the writer thread: bytes, and the offsets in them where documents start (an
/// array puts a separator between documents).
#[derive(Default)]
pub struct Piece {
    /// The output.
    pub bytes: Vec<u8>,
    /// Where documents start in `bytes`.
    pub starts: Vec<usize>,
}

/// What became of one document that `render` was given.
pub enum Rendered {
    /// Its output was written, after these warnings about it.
    Done(Vec<String>),
    /// A document to be written by the main thread in order, while it is worked (a long one).
    Long(Box<Document>),
    /// A document that gives no output: why, reported and skipped (anything it wrote is
    /// dropped).
    Refused(String),
}

/// What surrounds the documents in the output.
#[derive(Clone, Default)]
pub struct Framing {
    /// Written first.
    pub head: Vec<u8>,
    /// Written between two documents.
    pub separator: &'static [u8],
    /// Written last.
    pub tail: &'static [u8],
}

/// Raw bytes read before a batch goes to the thread pool: enough to keep every core busy
/// between two batches, little enough that the memory a batch frees is taken again by the
/// next before the allocator gives it back to the system.
const BATCH_BYTES: usize = 1 << 20;
/// Most items in a batch (short lines).
const BATCH_ITEMS: usize = 8_192;
/// Documents rendered into one buffer by one task.
const CHUNK: usize = 64;

/// What a task made of a chunk, in order.
enum Item {
    Bytes(Piece),
    Long(Box<Document>),
    Warning(String),
    Refused(String),
}

/// Runs every document of `sources` through `render` (on the thread pool, with a state of
/// type `S` per thread, writing into the buffer it is given) and writes the results in input
/// order, framed by `framing`. A document rendered as [`Rendered::Long`] is handed to `long` on
/// the main thread, in its place, with a function that sends pieces to the writer. Prints each
/// document's warnings and each refusal on standard error; returns how many documents were
/// refused or unreadable.
pub fn run<S: Default + Send>(
    sources: &[Source],
    framing: Framing,
    render: impl Fn(&mut S, Document, &mut Vec<u8>) -> Rendered + Sync + Send,
    mut long: impl FnMut(Document, &dyn Fn(Vec<Piece>) -> Result<()>) -> Result<()>,
) -> Result<usize> {
    // Two batches in flight bound the memory the output takes.
    let (tx, rx) = mpsc::sync_channel::<Vec<Piece>>(2);
    let writer = std::thread::spawn(move || -> std::io::Result<()> {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
        out.write_all(&framing.head)?;
        let mut first = true;
        for pieces in rx {
            for piece in pieces {
                let mut from = 0;
                for &start in &piece.starts {
                    if !std::mem::replace(&mut first, false) {
                        out.write_all(&piece.bytes[from..start])?;
                        out.write_all(framing.separator)?;
                        from = start;
                    }
                }
                out.write_all(&piece.bytes[from..])?;
            }
        }
        out.write_all(framing.tail)?;
        out.flush()
    });
    let send = |pieces: Vec<Piece>| -> Result<()> { tx.send(pieces).map_err(|_| anyhow::anyhow!("the output closed")) };
    let mut skipped = 0;
    let mut batch: Vec<Raw> = Vec::new();
    let mut batch_bytes = 0;
    let mut flush = |batch: &mut Vec<Raw>| -> Result<()> {
        let chunks: Vec<Vec<Item>> = std::mem::take(batch)
            .into_par_iter()
            .chunks(CHUNK)
            .map_init(S::default, |state, raws| {
                let mut items = Vec::new();
                let mut piece = Piece::default();
                for raw in raws {
                    let doc = match raw.document() {
                        Ok(doc) => doc,
                        Err(e) => {
                            items.push(Item::Refused(e.to_string()));
                            continue;
                        }
                    };
                    let at = piece.bytes.len();
                    match render(state, doc, &mut piece.bytes) {
                        Rendered::Done(warnings) => {
                            piece.starts.push(at);
                            items.extend(warnings.into_iter().map(Item::Warning));
                        }
                        Rendered::Refused(reason) => {
                            piece.bytes.truncate(at);
                            items.push(Item::Refused(reason));
                        }
                        Rendered::Long(doc) => {
                            items.push(Item::Bytes(std::mem::take(&mut piece)));
                            items.push(Item::Long(doc));
                        }
                    }
                }
                items.push(Item::Bytes(piece));
                items
            })
            .collect();
        let mut pieces = Vec::with_capacity(chunks.len());
        for item in chunks.into_iter().flatten() {
            match item {
                Item::Bytes(piece) => pieces.push(piece),
                Item::Warning(w) => eprintln!("warning: {w}"),
                Item::Refused(reason) => {
                    eprintln!("warning: {reason}; skipped");
                    skipped += 1;
                }
                Item::Long(doc) => {
                    send(std::mem::take(&mut pieces))?;
                    long(*doc, &send)?;
                }
            }
        }
        send(pieces)
    };
    let read = intake::for_each_raw(sources, |raw| -> Result<()> {
        batch_bytes += match &raw {
            Raw::Whole(doc) => doc.text.len(),
            Raw::Line { bytes, .. } => bytes.len(),
        };
        batch.push(raw);
        if batch_bytes >= BATCH_BYTES || batch.len() >= BATCH_ITEMS {
            flush(&mut batch)?;
            batch_bytes = 0;
        }
        Ok(())
    })
    .and_then(|()| flush(&mut batch));
    drop(tx);
    // The writer's error (a closed pipe) explains a failed send better than the send does.
    writer.join().map_err(|_| anyhow::anyhow!("the writer thread panicked"))?.context("writing the output")?;
    read?;
    Ok(skipped)
}
