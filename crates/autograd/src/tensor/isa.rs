//! The instruction sets the hand-vectorised kernels (`gemm/`, `vector_math/`) are compiled
//! for, and the one this CPU runs, detected once.

/// The instruction sets a kernel exists for, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Isa {
    /// AVX-512 (foundation): 16 lanes.
    Avx512,
    /// AVX2: 8 lanes.
    Avx2,
    /// The x86-64 baseline (SSE2: 4 lanes) or whatever the target has.
    Portable,
}

/// The instruction set the kernels use: the best this CPU has, or a lesser one named by the
/// environment variable `LEARNGRAD_ISA` (`avx512`, `avx2` or `portable`; to compare them, or
/// to rule one out), read once.
pub(crate) fn detected() -> Isa {
    static CHOSEN: std::sync::OnceLock<Isa> = std::sync::OnceLock::new();
    *CHOSEN.get_or_init(|| {
        let best = best_available();
        let asked = match std::env::var("LEARNGRAD_ISA").as_deref() {
            Ok("avx512") => Isa::Avx512,
            Ok("avx2") => Isa::Avx2,
            Ok("portable") => Isa::Portable,
            _ => best,
        };
        // never one the CPU lacks (`runs` checks every feature the asked set's kernels are
        // compiled with)
        if runs(asked) { asked } else { best }
    })
}

/// Whether this CPU reports every feature `isa`'s loop is compiled with.
pub(crate) fn runs(isa: Isa) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        let fma = std::arch::is_x86_feature_detected!("fma");
        let avx2 = std::arch::is_x86_feature_detected!("avx2");
        match isa {
            // (the AVX-512 GEMM also packs with AVX transposes: AVX2 is asked for too, though
            // every CPU with AVX-512F has it)
            Isa::Avx512 => fma && avx2 && std::arch::is_x86_feature_detected!("avx512f"),
            Isa::Avx2 => fma && avx2,
            Isa::Portable => true,
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        isa == Isa::Portable
    }
}

/// The best instruction set of this CPU that a kernel exists for.
fn best_available() -> Isa {
    [Isa::Avx512, Isa::Avx2]
        .into_iter()
        .find(|&isa| runs(isa))
        .unwrap_or(Isa::Portable)
}

/// Every instruction set of this CPU that a kernel exists for, lesser first (for tests that
/// compare them).
#[cfg(test)]
pub(crate) fn available() -> Vec<Isa> {
    [Isa::Portable, Isa::Avx2, Isa::Avx512]
        .into_iter()
        .filter(|&isa| runs(isa))
        .collect()
}
