//! Standard scores.

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub fn_: usize,
}

impl Prf {
    /// tp / (tp + fp).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// tp / (tp + fn).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Largest possible great-circle error, km (half the Earth's circumference), as in Gritta et al.
pub const MAX_ERROR_KM: f64 = 20039.0;

/// Distance-error summary of resolved toponyms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorStats {
    /// Number of errors summarised.
    pub n: usize,
    /// Share within 161 km (100 miles).
    pub accuracy_161: f64,
    /// Mean error, km.
    pub mean_km: f64,
    /// Median error, km.
    pub median_km: f64,
    /// Area under the curve of sorted log errors, normalised to 0 (all exact) .. 1 (all at the
    /// antipode): Gritta et al. (2019), "A pragmatic guide to geoparsing evaluation".
    pub auc: f64,
}

/// Summarises distance errors in km.
pub fn error_stats(errors: &[f64]) -> ErrorStats {
    let mut sorted: Vec<f64> = errors.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n == 0 {
        return ErrorStats { n, accuracy_161: 0.0, mean_km: 0.0, median_km: 0.0, auc: 0.0 };
    }
    let within = sorted.iter().filter(|&&e| e <= 161.0).count();
    let median = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
    let logs: Vec<f64> = sorted.iter().map(|e| (1.0 + e.min(MAX_ERROR_KM)).ln()).collect();
    let auc = if n == 1 {
        logs[0] / (1.0 + MAX_ERROR_KM).ln()
    } else {
        // Trapezoidal area under the sorted log-error curve over n - 1 unit steps.
        let area: f64 = logs.windows(2).map(|w| (w[0] + w[1]) / 2.0).sum();
        area / ((1.0 + MAX_ERROR_KM).ln() * (n - 1) as f64)
    };
    ErrorStats { n, accuracy_161: within as f64 / n as f64, mean_km: sorted.iter().sum::<f64>() / n as f64, median_km: median, auc }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prf() {
        let p = Prf { tp: 8, fp: 2, fn_: 8 };
        assert_eq!(p.precision(), 0.8);
        assert_eq!(p.recall(), 0.5);
        assert!((p.f1() - 0.6153846).abs() < 1e-6);
        assert_eq!(Prf::default().f1(), 0.0);
    }

    #[test]
    fn errors() {
        let s = error_stats(&[0.0, 10.0, 200.0, 1000.0]);
        assert_eq!(s.accuracy_161, 0.5);
        assert_eq!(s.median_km, 105.0);
        assert_eq!(s.mean_km, 302.5);
        assert!(s.auc > 0.0 && s.auc < 1.0);
        assert_eq!(error_stats(&[0.0, 0.0]).auc, 0.0);
        assert!((error_stats(&[MAX_ERROR_KM, MAX_ERROR_KM]).auc - 1.0).abs() < 1e-12);
        assert_eq!(error_stats(&[]).n, 0);
    }
}
