// Metrics barrel: classification, ROC/AUC, log loss and regression metrics numerically equal to scikit-learn.
export { accuracy, confusionMatrix } from './classification.js';
export type { AccuracyOptions, ConfusionMatrixOptions } from './classification.js';
export { precision, recall, f1Score, fbetaScore, precisionRecallFscoreSupport } from './prf.js';
export type { Average, PrfOptions, AveragedPrfOptions, PerClassScores } from './prf.js';
export { classificationReport, formatClassificationReport } from './report.js';
export type { ClassificationReport, ClassificationReportOptions, ReportRow } from './report.js';
export { rocCurve, rocAucScore, auc } from './roc.js';
export type { RocCurve, RocCurveOptions, RocAucOptions } from './roc.js';
export { logLoss } from './logloss.js';
export type { LogLossOptions } from './logloss.js';
export { meanSquaredError, meanAbsoluteError, r2Score } from './regression.js';
export type { MultiOutput, RegressionOptions, R2Options } from './regression.js';
export type { VectorInput, MatrixInput } from './input.js';
