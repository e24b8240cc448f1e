//! The output path of the commands that turn many documents into one output each (`geoparse`,
//! `read`): the main thread reads items (whole files, or JSON lines still undecoded, in one
//! buffer; see `sitrep_read::intake::RawBatch`) into batches of a megabyte and hands each to a
//! worker thread, then reads the next; the worker has the batch decoded, worked and rendered on
//! all cores (rayon), every document straight into a buffer of its own, in input order; one
//! writer thread writes the buffers to standard output in large blocks. Reading, working and
//! writing overlap, so that on two cores neither waits for the other's share. The writer hands
//! the buffers it has written back for reuse, and the three batches in turn go back to the
//! reader with their room, so that a run of many small documents reuses the same memory
//! instead of taking fresh memory (whose pages the system zeroes) for every line and chunk.

use std::{
    io::Write,
    sync::{mpsc, Mutex},
};

use anyhow::{Context, Result};
use rayon::prelude::*;
use sitrep_read::intake::{Document, DocumentRef, RawBatch, RawReader, Source};

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
/// Batches in turn: one filled by the reader, one waiting, one worked.
const BATCHES: usize = 3;
/// Documents rendered into one buffer by one task.
const CHUNK: usize = 64;
/// Most written buffers kept for reuse (a little more than two batches' worth of chunks).
const SPARE_PIECES: usize = 2 * BATCH_ITEMS / CHUNK + 64;
/// Largest buffer kept for reuse: one that a long document grew is given back to the
/// allocator.
const SPARE_BYTES: usize = 1 << 20;

/// Things kept for reuse between chunks: written buffers, emptied, and the per-thread states
/// of `render` (a scan's buffers), which rayon would otherwise make afresh for every job.
struct Pool<T>(Mutex<Vec<T>>);

impl<T: Default> Pool<T> {
    fn new() -> Pool<T> {
        Pool(Mutex::new(Vec::new()))
    }

    /// One kept before, or a new one.
    fn take(&self) -> T {
        self.0.lock().ok().and_then(|mut kept| kept.pop()).unwrap_or_default()
    }

    /// Keeps `item` unless `most` are kept already.
    fn give(&self, item: T, most: usize) {
        if let Ok(mut kept) = self.0.lock() {
            if kept.len() < most {
                kept.push(item);
            }
        }
    }
}

/// Keeps `piece`'s buffers, emptied, for another chunk, unless a long document grew them large.
fn give_back(spares: &Pool<Piece>, mut piece: Piece) {
    if piece.bytes.capacity() <= SPARE_BYTES {
        piece.bytes.clear();
        piece.starts.clear();
        spares.give(piece, SPARE_PIECES);
    }
}

/// What a task made of a chunk, in order.
enum Item {
    Bytes(Piece),
    Long(Box<Document>),
    Warning(String),
    Refused(String),
}

/// Runs every document of `sources` through `render` (on the thread pool, with a state of
/// type `S` per task, kept for later tasks, writing into the buffer it is given; a JSON line's
/// id and text borrow the batch's buffer where they can) and writes the results in input
/// order, framed by `framing`. The calling thread reads the next batch while the pool works
/// on the one before. A document rendered as [`Rendered::Long`] is handed to `long`, in its
/// place, with a function that sends pieces to the writer. Prints each document's warnings and
/// each refusal on standard error; returns how many documents were refused or unreadable.
pub fn run<S: Default + Send>(
    sources: &[Source],
    framing: Framing,
    render: impl for<'b> Fn(&mut S, DocumentRef<'b>, &mut Vec<u8>) -> Rendered + Sync + Send,
    long: impl FnMut(Document, &dyn Fn(Vec<Piece>) -> Result<()>) -> Result<()> + Send,
) -> Result<usize> {
    let (spares, states) = (Pool::new(), Pool::new());
    std::thread::scope(|scope| {
        // Two batches in flight bound the memory the output takes.
        let (tx, rx) = mpsc::sync_channel::<Vec<Piece>>(2);
        let writer = scope.spawn(|| write(rx, &framing, &spares));
        // One batch waits while the pool works on another and the reader fills a third;
        // emptied batches come back to be filled again, with their room.
        let (batches, to_work) = mpsc::sync_channel::<RawBatch>(1);
        let (emptied, to_fill) = mpsc::channel::<RawBatch>();
        let worker = scope.spawn(|| work(to_work, emptied, tx, (&spares, &states), render, long));
        let read = (|| -> Result<()> {
            let mut reader = RawReader::new(sources);
            for made in 0.. {
                let mut batch = if made < BATCHES {
                    RawBatch::default()
                } else {
                    // The worker gives every batch back; it stops giving only when it has
                    // stopped working, and then its error explains more than this one.
                    to_fill.recv().map_err(|_| anyhow::anyhow!("the output closed"))?
                };
                batch.clear();
                let more = reader.fill(&mut batch, BATCH_BYTES, BATCH_ITEMS)?;
                if !batch.is_empty() {
                    batches.send(batch).map_err(|_| anyhow::anyhow!("the output closed"))?;
                }
                if !more {
                    break;
                }
            }
            Ok(())
        })();
        drop(batches);
        let worked = worker.join().map_err(|_| anyhow::anyhow!("the worker thread panicked"))?;
        // The writer's error (a closed pipe) explains a failed send better than the send does.
        writer.join().map_err(|_| anyhow::anyhow!("the writer thread panicked"))?.context("writing the output")?;
        let skipped = worked?;
        read?;
        Ok(skipped)
    })
}

/// Writes the pieces that come down `rx` to standard output, framed, and gives their buffers
/// back to `spares`.
fn write(rx: mpsc::Receiver<Vec<Piece>>, framing: &Framing, spares: &Pool<Piece>) -> std::io::Result<()> {
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
            give_back(spares, piece);
        }
    }
    out.write_all(framing.tail)?;
    out.flush()
}

/// Works every batch that comes down `to_work` on the thread pool (see [`run`]), sends the
/// pieces to the writer through `tx` in order, and hands each batch back, emptied, through
/// `emptied`; returns how many documents were refused or unreadable.
fn work<S: Default + Send>(
    to_work: mpsc::Receiver<RawBatch>,
    emptied: mpsc::Sender<RawBatch>,
    tx: mpsc::SyncSender<Vec<Piece>>,
    (spares, states): (&Pool<Piece>, &Pool<S>),
    render: impl for<'b> Fn(&mut S, DocumentRef<'b>, &mut Vec<u8>) -> Rendered + Sync + Send,
    mut long: impl FnMut(Document, &dyn Fn(Vec<Piece>) -> Result<()>) -> Result<()>,
) -> Result<usize> {
    let send = |pieces: Vec<Piece>| -> Result<()> { tx.send(pieces).map_err(|_| anyhow::anyhow!("the output closed")) };
    let mut skipped = 0;
    for mut batch in to_work {
        let (bytes, raws) = batch.parts_mut();
        let chunks: Vec<Vec<Item>> = raws
            .par_chunks_mut(CHUNK)
            .map(|raws| {
                let mut state = states.take();
                let mut items = Vec::new();
                let mut piece = spares.take();
                for raw in raws {
                    let doc = match raw.document_ref(bytes) {
                        Ok(doc) => doc,
                        Err(e) => {
                            items.push(Item::Refused(e.to_string()));
                            continue;
                        }
                    };
                    let at = piece.bytes.len();
                    match render(&mut state, doc, &mut piece.bytes) {
                        Rendered::Done(warnings) => {
                            piece.starts.push(at);
                            items.extend(warnings.into_iter().map(Item::Warning));
                        }
                        Rendered::Refused(reason) => {
                            piece.bytes.truncate(at);
                            items.push(Item::Refused(reason));
                        }
                        Rendered::Long(doc) => {
                            items.push(Item::Bytes(std::mem::replace(&mut piece, spares.take())));
                            items.push(Item::Long(doc));
                        }
                    }
                }
                items.push(Item::Bytes(piece));
                // As many states are out at once as threads work; all come back.
                states.give(state, usize::MAX);
                items
            })
            .collect();
        // The reader may have stopped; it then needs no more room.
        let _ = emptied.send(batch);
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
        send(pieces)?;
    }
    Ok(skipped)
}
