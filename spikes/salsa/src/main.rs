// Spike: the cross-file rule shape of xwalk (keys per file, groups across files) in salsa.
use std::sync::Arc;
use std::time::Instant;
use rustc_hash::FxHashMap;

#[salsa::input]
struct File {
    #[returns(ref)]
    keys: Vec<u64>,
}

#[salsa::input]
struct Root {
    #[returns(ref)]
    files: Vec<File>,
}

#[salsa::tracked(returns(ref))]
fn file_keys(db: &dyn salsa::Database, f: File) -> Vec<u64> {
    let mut k = f.keys(db).clone();
    k.sort_unstable();
    k
}

#[salsa::tracked(returns(ref))]
fn groups(db: &dyn salsa::Database, r: Root) -> Arc<Vec<(u64, u32)>> {
    let mut m: Vec<(u64, u32)> = Vec::new();
    for (i, f) in r.files(db).iter().enumerate() {
        for &k in file_keys(db, *f) {
            m.push((k, i as u32));
        }
    }
    m.sort_unstable();
    Arc::new(m)
}

/// A file's cross-file findings: its keys that other files hold too.
#[salsa::tracked(returns(ref))]
fn cross(db: &dyn salsa::Database, r: Root, i: u32) -> Vec<u64> {
    let f = r.files(db)[i as usize];
    let g = groups(db, r);
    file_keys(db, f).iter().copied().filter(|k| { let a = g.partition_point(|e| e.0 < *k); g[a..].iter().take_while(|e| e.0 == *k).count() > 1 }).collect()
}

/// Per-file only: a file's own findings.
#[salsa::tracked(returns(ref))]
fn local(db: &dyn salsa::Database, f: File) -> usize {
    file_keys(db, f).windows(2).filter(|w| w[0] == w[1]).count()
}

fn main() {
    let mut db = salsa::DatabaseImpl::new();
    let n_files = 1000u64;
    let per = 100u64;
    let files: Vec<File> = (0..n_files)
        .map(|f| File::new(&db, (0..per).map(|k| (f * per + k).wrapping_mul(0x9E3779B97F4A7C15)).collect()))
        .collect();
    let root = Root::new(&db, files.clone());
    let t = Instant::now();
    for i in 0..n_files as u32 { let _ = cross(&db, root, i); let _ = local(&db, files[i as usize]); }
    println!("fresh: {:?}", t.elapsed());
    use salsa::Setter;
    let rounds = 200;
    // A: an edit that changes a key; every file's cross findings asked again (what a publisher must know).
    let t = Instant::now();
    for e in 0..rounds {
        let mut k = files[500].keys(&db).clone();
        k[e % per as usize] ^= 1;
        files[500].set_keys(&mut db).to(k);
        let mut total = 0;
        for i in 0..n_files as u32 { total += cross(&db, root, i).len(); }
        std::hint::black_box(total);
    }
    println!("A key edit, all files' cross findings: {:?}/edit", t.elapsed() / rounds as u32);
    // B: same edit, only the edited file's cross findings.
    let t = Instant::now();
    for e in 0..rounds {
        let mut k = files[500].keys(&db).clone();
        k[e % per as usize] ^= 2;
        files[500].set_keys(&mut db).to(k);
        std::hint::black_box(cross(&db, root, 500).len());
    }
    println!("B key edit, edited file's cross findings: {:?}/edit", t.elapsed() / rounds as u32);
    // C: per-file queries only, every file verified.
    let t = Instant::now();
    for e in 0..rounds {
        let mut k = files[500].keys(&db).clone();
        k[e % per as usize] ^= 4;
        files[500].set_keys(&mut db).to(k);
        let mut total = 0;
        for f in &files { total += *local(&db, *f); }
        std::hint::black_box(total);
    }
    println!("C key edit, every file's local findings verified: {:?}/edit", t.elapsed() / rounds as u32);
    // D: the delta a hand-made index does: remove the file's old keys, add the new ones.
    let mut m: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for &(k, i) in groups(&db, root).iter() { m.entry(k).or_default().push(i); }
    let t = Instant::now();
    let mut old = files[500].keys(&db).clone();
    for e in 0..rounds {
        let mut k = old.clone();
        k[e % per as usize] ^= 8;
        for key in &old { if let Some(v) = m.get_mut(key) { v.retain(|&x| x != 500); } }
        for key in &k { m.entry(*key).or_default().push(500); }
        let n: usize = k.iter().filter(|key| m.get(key).is_some_and(|v| v.len() > 1)).count();
        std::hint::black_box(n);
        old = k;
    }
    println!("D delta update of the group index + edited file's findings: {:?}/edit", t.elapsed() / rounds as u32);
}
