"""Reference values computed with R and metafor (generated; do not edit by hand).

Produced by tests/stats/r/metafor_pins.R with R version 4.2.2 Patched (2022-11-10 r83330), metafor 3.8.1, nnet 7.3.18.
Each value is followed by the R expression that produced it. Data: see the R script
(dat.bcg: Colditz et al. 1994 via metafor; the other sets are synthetic).
"""

# ruff: noqa: E501

# fmt: off
R_PINS: dict[str, float | list[float] | None] = {
    "bcg.yi": [-0.88931133392020545, -1.5853886572014306, -1.3480731482996933, -1.4415511900213054, -0.21754732221129558, -0.78611558581886398, -1.6208982235983918, 0.011952333523840508, -0.4694176487381494, -1.3713448034727844, -0.33935882833839059, 0.44591340057137874, -0.017313948216879815],  # as.numeric(bcg$yi)
    "bcg.vi": [0.32558476500396133, 0.19458112139814385, 0.41536796536796539, 0.020010031902247573, 0.051210172169630863, 0.0069056184559087574, 0.22301724757231517, 0.0039615792978177295, 0.056434210463248966, 0.07302479361302891, 0.01241221397155972, 0.53250584520015276, 0.071404659683986293],  # as.numeric(bcg$vi)
    "sacc.yi": [2.0907410969337694, 2.4423470353692052, 2.1972245773362196, 1.4718165345580527, 4.6151205168412632, 2.6178251095094853, 1.9924301646902063, 1.8899514954072689],  # as.numeric(sacc$yi)
    "sacc.vi": [0.051072522982635343, 0.1358695652173913, 0.022222222222222223, 0.087822014051522249, 2.0198019801980198, 0.06311537490532694, 0.00946969696969697, 0.05481329222336416],  # as.numeric(sacc$vi)
    "hm.se.0893_51_58": 0.032511581767646583,  # hm_se(0.893, 51, 58)
    "hm.se.0750_30_70": 0.056986392933680567,  # hm_se(0.75, 30, 70)
    "hm.se.0990_100_100": 0.0071217371306583179,  # hm_se(0.99, 100, 100)
    "bcg.FE.z.estimate": -0.43028516365409092,  # coef(rma(yi, vi, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.FE.z.se": 0.040498751710863812,  # rma(yi, vi, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.FE.z.ci_low": -0.5096612584262139,  # rma(yi, vi, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.FE.z.ci_high": -0.35090906888196793,  # rma(yi, vi, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "bcg.FE.z.stat": -10.624652501046512,  # rma(yi, vi, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "bcg.FE.z.p_val": 2.2886293069732448e-26,  # rma(yi, vi, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.FE.z.tau2": 0,  # rma(yi, vi, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.FE.z.i2": 92.117346854562058,  # rma(yi, vi, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.FE.z.h2": 12.686084006864441,  # rma(yi, vi, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "bcg.FE.z.q": 152.23300808237329,  # rma(yi, vi, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.FE.z.q_p": 1.9967645908459738e-26,  # rma(yi, vi, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "bcg.DL.z.estimate": -0.71411722207322692,  # coef(rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.DL.z.se": 0.1787420895354031,  # rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.DL.z.ci_low": -1.0644452800840507,  # rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.DL.z.ci_high": -0.36378916406240319,  # rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "bcg.DL.z.stat": -3.9952381888865807,  # rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "bcg.DL.z.p_val": 6.462924304703998e-05,  # rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.DL.z.tau2": 0.30876026286237618,  # rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.DL.z.i2": 92.117346854562058,  # rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.DL.z.h2": 12.686084006864441,  # rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "bcg.DL.z.q": 152.23300808237329,  # rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.DL.z.q_p": 1.9967645908459738e-26,  # rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "bcg.DL.z.pi_low": -1.8581537527321683,  # predict(rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "bcg.DL.z.pi_high": 0.42991930858571437,  # predict(rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "bcg.DL.z.tau2_ci_low": 0.11971836114115214,  # confint(rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "bcg.DL.z.tau2_ci_high": 1.1114790840609292,  # confint(rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "bcg.DL.z.i2_ci_low": 81.920574558583112,  # confint(rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "bcg.DL.z.i2_ci_high": 97.678074957887418,  # confint(rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "bcg.DL.z.h2_ci_low": 5.5311492239635562,  # confint(rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "bcg.DL.z.h2_ci_high": 43.067712430981707,  # confint(rma(yi, vi, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "bcg.DL.knha.estimate": -0.71411722207322692,  # coef(rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.DL.knha.se": 0.18069662833554737,  # rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.DL.knha.ci_low": -1.1078213541683284,  # rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.DL.knha.ci_high": -0.3204130899781254,  # rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "bcg.DL.knha.stat": -3.9520229494660852,  # rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "bcg.DL.knha.p_val": 0.0019207667670473566,  # rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.DL.knha.tau2": 0.30876026286237618,  # rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.DL.knha.i2": 92.117346854562058,  # rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.DL.knha.h2": 12.686084006864441,  # rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "bcg.DL.knha.q": 152.23300808237329,  # rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.DL.knha.q_p": 1.9967645908459738e-26,  # rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "bcg.DL.knha.pi_low": -1.9872069634307388,  # predict(rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "bcg.DL.knha.pi_high": 0.55897251928428504,  # predict(rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "bcg.DL.knha.tau2_ci_low": 0.11971836114115214,  # confint(rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "bcg.DL.knha.tau2_ci_high": 1.1114790840609292,  # confint(rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "bcg.DL.knha.i2_ci_low": 81.920574558583112,  # confint(rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "bcg.DL.knha.i2_ci_high": 97.678074957887418,  # confint(rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "bcg.DL.knha.h2_ci_low": 5.5311492239635562,  # confint(rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "bcg.DL.knha.h2_ci_high": 43.067712430981707,  # confint(rma(yi, vi, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "bcg.PM.z.estimate": -0.71496815349344411,  # coef(rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.PM.z.se": 0.18089219153762351,  # rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.PM.z.ci_low": -1.0695103339917074,  # rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.PM.z.ci_high": -0.36042597299518092,  # rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "bcg.PM.z.stat": -3.9524544836129034,  # rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "bcg.PM.z.p_val": 7.7353646079027561e-05,  # rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.PM.z.tau2": 0.31806845220502394,  # rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.PM.z.i2": 92.330337954153251,  # rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.PM.z.h2": 13.03838414290386,  # rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "bcg.PM.z.q": 152.23300808237329,  # rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.PM.z.q_p": 1.9967645908459738e-26,  # rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "bcg.PM.z.pi_low": -1.875807082484017,  # predict(rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "bcg.PM.z.pi_high": 0.44587077549712861,  # predict(rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "bcg.PM.z.tau2_ci_low": 0.11971836114115214,  # confint(rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "bcg.PM.z.tau2_ci_high": 1.1114790840609292,  # confint(rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "bcg.PM.z.i2_ci_low": 81.920574558583112,  # confint(rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "bcg.PM.z.i2_ci_high": 97.678074957887418,  # confint(rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "bcg.PM.z.h2_ci_low": 5.5311492239635562,  # confint(rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "bcg.PM.z.h2_ci_high": 43.067712430981707,  # confint(rma(yi, vi, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "bcg.PM.knha.estimate": -0.71496815349344411,  # coef(rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.PM.knha.se": 0.18089219153762351,  # rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.PM.knha.ci_low": -1.1090983812022399,  # rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.PM.knha.ci_high": -0.32083792578464826,  # rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "bcg.PM.knha.stat": -3.9524544836129034,  # rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "bcg.PM.knha.p_val": 0.0019192718312779982,  # rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.PM.knha.tau2": 0.31806845220502394,  # rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.PM.knha.i2": 92.330337954153251,  # rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.PM.knha.h2": 13.03838414290386,  # rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "bcg.PM.knha.q": 152.23300808237329,  # rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.PM.knha.q_p": 1.9967645908459738e-26,  # rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "bcg.PM.knha.pi_low": -2.0054259229281035,  # predict(rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "bcg.PM.knha.pi_high": 0.57548961594121517,  # predict(rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "bcg.PM.knha.tau2_ci_low": 0.11971836114115214,  # confint(rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "bcg.PM.knha.tau2_ci_high": 1.1114790840609292,  # confint(rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "bcg.PM.knha.i2_ci_low": 81.920574558583112,  # confint(rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "bcg.PM.knha.i2_ci_high": 97.678074957887418,  # confint(rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "bcg.PM.knha.h2_ci_low": 5.5311492239635562,  # confint(rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "bcg.PM.knha.h2_ci_high": 43.067712430981707,  # confint(rma(yi, vi, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "bcg.REML.z.estimate": -0.71453234215813966,  # coef(rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.REML.z.se": 0.1797815161052069,  # rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.REML.z.ci_low": -1.0668976388103528,  # rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.REML.z.ci_high": -0.36216704550592649,  # rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "bcg.REML.z.stat": -3.9744483061317619,  # rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "bcg.REML.z.p_val": 7.0542581016423697e-05,  # rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.REML.z.tau2": 0.3132432581364859,  # rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.REML.z.i2": 92.221384521269073,  # rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.REML.z.h2": 12.855758235309356,  # rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "bcg.REML.z.q": 152.23300808237329,  # rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.REML.z.q_p": 1.9967645908459738e-26,  # rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "bcg.REML.z.pi_low": -1.8666922179028962,  # predict(rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "bcg.REML.z.pi_high": 0.43762753358661677,  # predict(rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "bcg.REML.z.tau2_ci_low": 0.11971836114115214,  # confint(rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "bcg.REML.z.tau2_ci_high": 1.1114790840609292,  # confint(rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "bcg.REML.z.i2_ci_low": 81.920574558583112,  # confint(rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "bcg.REML.z.i2_ci_high": 97.678074957887418,  # confint(rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "bcg.REML.z.h2_ci_low": 5.5311492239635562,  # confint(rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "bcg.REML.z.h2_ci_high": 43.067712430981707,  # confint(rma(yi, vi, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "bcg.REML.knha.estimate": -0.71453234215813966,  # coef(rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.REML.knha.se": 0.18079174409284798,  # rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.REML.knha.ci_low": -1.1084437136855514,  # rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.REML.knha.ci_high": -0.32062097063072803,  # rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "bcg.REML.knha.stat": -3.9522398865248083,  # rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "bcg.REML.knha.p_val": 0.0019200150960572951,  # rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.REML.knha.tau2": 0.3132432581364859,  # rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.REML.knha.i2": 92.221384521269073,  # rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.REML.knha.h2": 12.855758235309356,  # rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "bcg.REML.knha.q": 152.23300808237329,  # rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.REML.knha.q_p": 1.9967645908459738e-26,  # rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "bcg.REML.knha.pi_low": -1.9960168341962121,  # predict(rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "bcg.REML.knha.pi_high": 0.5669521498799327,  # predict(rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "bcg.REML.knha.tau2_ci_low": 0.11971836114115214,  # confint(rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "bcg.REML.knha.tau2_ci_high": 1.1114790840609292,  # confint(rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "bcg.REML.knha.i2_ci_low": 81.920574558583112,  # confint(rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "bcg.REML.knha.i2_ci_high": 97.678074957887418,  # confint(rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "bcg.REML.knha.h2_ci_low": 5.5311492239635562,  # confint(rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "bcg.REML.knha.h2_ci_high": 43.067712430981707,  # confint(rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "bcg.ML.z.estimate": -0.71119913547418401,  # coef(rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.ML.z.se": 0.17189680877689684,  # rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.ML.z.ci_low": -1.0481106897342705,  # rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.ML.z.ci_high": -0.37428758121409761,  # rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "bcg.ML.z.stat": -4.1373609000341727,  # rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "bcg.ML.z.p_val": 3.5132329690349431e-05,  # rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.ML.z.tau2": 0.28002813726867132,  # rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.ML.z.i2": 91.378283789446883,  # rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.ML.z.h2": 11.598618831549844,  # rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "bcg.ML.z.q": 152.23300808237329,  # rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.ML.z.q_p": 1.9967645908459738e-26,  # rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "bcg.ML.z.pi_low": -1.8017155055242762,  # predict(rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "bcg.ML.z.pi_high": 0.37931723457590816,  # predict(rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "bcg.ML.z.tau2_ci_low": 0.11971836114115214,  # confint(rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "bcg.ML.z.tau2_ci_high": 1.1114790840609292,  # confint(rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "bcg.ML.z.i2_ci_low": 81.920574558583112,  # confint(rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "bcg.ML.z.i2_ci_high": 97.678074957887418,  # confint(rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "bcg.ML.z.h2_ci_low": 5.5311492239635562,  # confint(rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "bcg.ML.z.h2_ci_high": 43.067712430981707,  # confint(rma(yi, vi, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "bcg.ML.knha.estimate": -0.71119913547418401,  # coef(rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.ML.knha.se": 0.18004222214436302,  # rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.ML.knha.ci_low": -1.1034774389641195,  # rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.ML.knha.ci_high": -0.31892083198424859,  # rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "bcg.ML.knha.stat": -3.950179724531083,  # rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "bcg.ML.knha.p_val": 0.001927165659133411,  # rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.ML.knha.tau2": 0.28002813726867132,  # rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.ML.knha.i2": 91.378283789446883,  # rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.ML.knha.h2": 11.598618831549844,  # rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "bcg.ML.knha.q": 152.23300808237329,  # rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.ML.knha.q_p": 1.9967645908459738e-26,  # rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "bcg.ML.knha.pi_low": -1.9290821095017672,  # predict(rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "bcg.ML.knha.pi_high": 0.50668383855339916,  # predict(rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "bcg.ML.knha.tau2_ci_low": 0.11971836114115214,  # confint(rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "bcg.ML.knha.tau2_ci_high": 1.1114790840609292,  # confint(rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "bcg.ML.knha.i2_ci_low": 81.920574558583112,  # confint(rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "bcg.ML.knha.i2_ci_high": 97.678074957887418,  # confint(rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "bcg.ML.knha.h2_ci_low": 5.5311492239635562,  # confint(rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "bcg.ML.knha.h2_ci_high": 43.067712430981707,  # confint(rma(yi, vi, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "s5.FE.z.estimate": 0.44413162705667275,  # coef(rma(yi, vi, data=s5, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "s5.FE.z.se": 0.087625595419247776,  # rma(yi, vi, data=s5, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "s5.FE.z.ci_low": 0.27238861591106922,  # rma(yi, vi, data=s5, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "s5.FE.z.ci_high": 0.61587463820227628,  # rma(yi, vi, data=s5, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "s5.FE.z.stat": 5.0685147978933465,  # rma(yi, vi, data=s5, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "s5.FE.z.p_val": 4.0093181725411714e-07,  # rma(yi, vi, data=s5, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "s5.FE.z.tau2": 0,  # rma(yi, vi, data=s5, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "s5.FE.z.i2": 77.587108858941079,  # rma(yi, vi, data=s5, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "s5.FE.z.h2": 4.4617180073126148,  # rma(yi, vi, data=s5, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "s5.FE.z.q": 17.846872029250459,  # rma(yi, vi, data=s5, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "s5.FE.z.q_p": 0.0013220961878474798,  # rma(yi, vi, data=s5, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "s5.DL.z.estimate": 0.38691363202291157,  # coef(rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "s5.DL.z.se": 0.18834151088686715,  # rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "s5.DL.z.ci_low": 0.017771053890793476,  # rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "s5.DL.z.ci_high": 0.75605621015502966,  # rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "s5.DL.z.stat": 2.0543194657460435,  # rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "s5.DL.z.p_val": 0.039944781930849528,  # rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "s5.DL.z.tau2": 0.13617833513124777,  # rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "s5.DL.z.i2": 77.587108858941079,  # rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "s5.DL.z.h2": 4.4617180073126157,  # rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "s5.DL.z.q": 17.846872029250459,  # rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "s5.DL.z.q_p": 0.0013220961878474798,  # rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "s5.DL.z.pi_low": -0.42511451383620774,  # predict(rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "s5.DL.z.pi_high": 1.1989417778820308,  # predict(rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "s5.DL.z.tau2_ci_low": 0.02566661694237966,  # confint(rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "s5.DL.z.tau2_ci_high": 1.5652682598718779,  # confint(rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "s5.DL.z.i2_ci_low": 39.484075205979217,  # confint(rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "s5.DL.z.i2_ci_high": 97.548410506175429,  # confint(rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "s5.DL.z.h2_ci_low": 1.652457602529779,  # confint(rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "s5.DL.z.h2_ci_high": 40.789863169137959,  # confint(rma(yi, vi, data=s5, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "s5.DL.knha.estimate": 0.38691363202291157,  # coef(rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "s5.DL.knha.se": 0.1953924475405597,  # rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "s5.DL.knha.ci_low": -0.15558277254369218,  # rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "s5.DL.knha.ci_high": 0.92941003658951526,  # rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "s5.DL.knha.stat": 1.9801872431256369,  # rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "s5.DL.knha.p_val": 0.11877614661300274,  # rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "s5.DL.knha.tau2": 0.13617833513124777,  # rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "s5.DL.knha.i2": 77.587108858941079,  # rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "s5.DL.knha.h2": 4.4617180073126157,  # rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "s5.DL.knha.q": 17.846872029250459,  # rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "s5.DL.knha.q_p": 0.0013220961878474798,  # rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "s5.DL.knha.pi_low": -0.7724194180681796,  # predict(rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "s5.DL.knha.pi_high": 1.5462466821140028,  # predict(rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "s5.DL.knha.tau2_ci_low": 0.02566661694237966,  # confint(rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "s5.DL.knha.tau2_ci_high": 1.5652682598718779,  # confint(rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "s5.DL.knha.i2_ci_low": 39.484075205979217,  # confint(rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "s5.DL.knha.i2_ci_high": 97.548410506175429,  # confint(rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "s5.DL.knha.h2_ci_low": 1.652457602529779,  # confint(rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "s5.DL.knha.h2_ci_high": 40.789863169137959,  # confint(rma(yi, vi, data=s5, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "s5.PM.z.estimate": 0.38558673479649541,  # coef(rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "s5.PM.z.se": 0.19555700428121559,  # rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "s5.PM.z.ci_low": 0.0023020494807677316,  # rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "s5.PM.z.ci_high": 0.76887142011222309,  # rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "s5.PM.z.stat": 1.971735741267608,  # rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "s5.PM.z.p_val": 0.048639781280426807,  # rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "s5.PM.z.tau2": 0.14996987213914284,  # rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "s5.PM.z.i2": 79.219939095096294,  # rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "s5.PM.z.h2": 4.8123054334456699,  # rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "s5.PM.z.q": 17.846872029250459,  # rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "s5.PM.z.q_p": 0.0013220961878474798,  # rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "s5.PM.z.pi_low": -0.46471335232854816,  # predict(rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "s5.PM.z.pi_high": 1.2358868219215391,  # predict(rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "s5.PM.z.tau2_ci_low": 0.02566661694237966,  # confint(rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "s5.PM.z.tau2_ci_high": 1.5652682598718779,  # confint(rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "s5.PM.z.i2_ci_low": 39.484075205979217,  # confint(rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "s5.PM.z.i2_ci_high": 97.548410506175429,  # confint(rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "s5.PM.z.h2_ci_low": 1.652457602529779,  # confint(rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "s5.PM.z.h2_ci_high": 40.789863169137959,  # confint(rma(yi, vi, data=s5, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "s5.PM.knha.estimate": 0.38558673479649541,  # coef(rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "s5.PM.knha.se": 0.19555700428122041,  # rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "s5.PM.knha.ci_low": -0.15736655252724308,  # rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "s5.PM.knha.ci_high": 0.9285400221202339,  # rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "s5.PM.knha.stat": 1.9717357412675593,  # rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "s5.PM.knha.p_val": 0.11993085307698773,  # rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "s5.PM.knha.tau2": 0.14996987213914284,  # rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "s5.PM.knha.i2": 79.219939095096294,  # rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "s5.PM.knha.h2": 4.8123054334456699,  # rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "s5.PM.knha.q": 17.846872029250459,  # rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "s5.PM.knha.q_p": 0.0013220961878474798,  # rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "s5.PM.knha.pi_low": -0.81893106934142623,  # predict(rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "s5.PM.knha.pi_high": 1.5901045389344171,  # predict(rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "s5.PM.knha.tau2_ci_low": 0.02566661694237966,  # confint(rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "s5.PM.knha.tau2_ci_high": 1.5652682598718779,  # confint(rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "s5.PM.knha.i2_ci_low": 39.484075205979217,  # confint(rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "s5.PM.knha.i2_ci_high": 97.548410506175429,  # confint(rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "s5.PM.knha.h2_ci_low": 1.652457602529779,  # confint(rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "s5.PM.knha.h2_ci_high": 40.789863169137959,  # confint(rma(yi, vi, data=s5, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "s5.REML.z.estimate": 0.38588564045360874,  # coef(rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "s5.REML.z.se": 0.19386270712372458,  # rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "s5.REML.z.ci_low": 0.0059217165456720289,  # rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "s5.REML.z.ci_high": 0.7658495643615455,  # rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "s5.REML.z.stat": 1.9905099138398687,  # rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "s5.REML.z.p_val": 0.04653479300316312,  # rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "s5.REML.z.tau2": 0.1466840791006313,  # rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "s5.REML.z.i2": 78.852892103127246,  # rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "s5.REML.z.h2": 4.7287790126038001,  # rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "s5.REML.z.q": 17.846872029250459,  # rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "s5.REML.z.q_p": 0.0013220961878474798,  # rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "s5.REML.z.pi_low": -0.45545461948171084,  # predict(rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "s5.REML.z.pi_high": 1.2272259003889283,  # predict(rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "s5.REML.z.tau2_ci_low": 0.02566661694237966,  # confint(rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "s5.REML.z.tau2_ci_high": 1.5652682598718779,  # confint(rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "s5.REML.z.i2_ci_low": 39.484075205979217,  # confint(rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "s5.REML.z.i2_ci_high": 97.548410506175429,  # confint(rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "s5.REML.z.h2_ci_low": 1.652457602529779,  # confint(rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "s5.REML.z.h2_ci_high": 40.789863169137959,  # confint(rma(yi, vi, data=s5, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "s5.REML.knha.estimate": 0.38588564045360874,  # coef(rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "s5.REML.knha.se": 0.19552015268978679,  # rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "s5.REML.knha.ci_low": -0.15696533044947514,  # rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "s5.REML.knha.ci_high": 0.92873661135669261,  # rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "s5.REML.knha.stat": 1.9736361451489697,  # rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "s5.REML.knha.p_val": 0.11967014184072683,  # rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "s5.REML.knha.tau2": 0.1466840791006313,  # rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "s5.REML.knha.i2": 78.852892103127246,  # rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "s5.REML.knha.h2": 4.7287790126038001,  # rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "s5.REML.knha.q": 17.846872029250459,  # rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "s5.REML.knha.q_p": 0.0013220961878474798,  # rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "s5.REML.knha.pi_low": -0.80802517063902857,  # predict(rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "s5.REML.knha.pi_high": 1.5797964515462461,  # predict(rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "s5.REML.knha.tau2_ci_low": 0.02566661694237966,  # confint(rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "s5.REML.knha.tau2_ci_high": 1.5652682598718779,  # confint(rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "s5.REML.knha.i2_ci_low": 39.484075205979217,  # confint(rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "s5.REML.knha.i2_ci_high": 97.548410506175429,  # confint(rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "s5.REML.knha.h2_ci_low": 1.652457602529779,  # confint(rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "s5.REML.knha.h2_ci_high": 40.789863169137959,  # confint(rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "s5.ML.z.estimate": 0.39042407865266671,  # coef(rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "s5.ML.z.se": 0.17240119803135551,  # rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "s5.ML.z.ci_low": 0.052523939619652293,  # rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "s5.ML.z.ci_high": 0.72832421768568112,  # rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "s5.ML.z.stat": 2.2646250902598615,  # rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "s5.ML.z.p_val": 0.02353569589355756,  # rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "s5.ML.z.tau2": 0.10758252263002258,  # rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "s5.ML.z.i2": 73.224796378119962,  # rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "s5.ML.z.h2": 3.7347988613719636,  # rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "s5.ML.z.q": 17.846872029250459,  # rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "s5.ML.z.q_p": 0.0013220961878474798,  # rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "s5.ML.z.pi_low": -0.33583368169702887,  # predict(rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "s5.ML.z.pi_high": 1.1166818390023623,  # predict(rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "s5.ML.z.tau2_ci_low": 0.02566661694237966,  # confint(rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "s5.ML.z.tau2_ci_high": 1.5652682598718779,  # confint(rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "s5.ML.z.i2_ci_low": 39.484075205979217,  # confint(rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "s5.ML.z.i2_ci_high": 97.548410506175429,  # confint(rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "s5.ML.z.h2_ci_low": 1.652457602529779,  # confint(rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "s5.ML.z.h2_ci_high": 40.789863169137959,  # confint(rma(yi, vi, data=s5, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "s5.ML.knha.estimate": 0.39042407865266671,  # coef(rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "s5.ML.knha.se": 0.19494482524841447,  # rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "s5.ML.knha.ci_low": -0.15082952719193299,  # rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "s5.ML.knha.ci_high": 0.9316776844972664,  # rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "s5.ML.knha.stat": 2.0027414328908537,  # rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "s5.ML.knha.p_val": 0.11575367948202821,  # rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "s5.ML.knha.tau2": 0.10758252263002258,  # rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "s5.ML.knha.i2": 73.224796378119962,  # rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "s5.ML.knha.h2": 3.7347988613719636,  # rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "s5.ML.knha.q": 17.846872029250459,  # rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "s5.ML.knha.q_p": 0.0013220961878474798,  # rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "s5.ML.knha.pi_low": -0.66894894421651196,  # predict(rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "s5.ML.knha.pi_high": 1.4497971015218454,  # predict(rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "s5.ML.knha.tau2_ci_low": 0.02566661694237966,  # confint(rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "s5.ML.knha.tau2_ci_high": 1.5652682598718779,  # confint(rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "s5.ML.knha.i2_ci_low": 39.484075205979217,  # confint(rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "s5.ML.knha.i2_ci_high": 97.548410506175429,  # confint(rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "s5.ML.knha.h2_ci_low": 1.652457602529779,  # confint(rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "s5.ML.knha.h2_ci_high": 40.789863169137959,  # confint(rma(yi, vi, data=s5, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "shom.FE.z.estimate": 0.30276595744680856,  # coef(rma(yi, vi, data=shom, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "shom.FE.z.se": 0.065232807305344226,  # rma(yi, vi, data=shom, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "shom.FE.z.ci_low": 0.17491200451789257,  # rma(yi, vi, data=shom, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "shom.FE.z.ci_high": 0.43061991037572456,  # rma(yi, vi, data=shom, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "shom.FE.z.stat": 4.6413142397752418,  # rma(yi, vi, data=shom, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "shom.FE.z.p_val": 3.4620016747811647e-06,  # rma(yi, vi, data=shom, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "shom.FE.z.tau2": 0,  # rma(yi, vi, data=shom, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "shom.FE.z.i2": 0,  # rma(yi, vi, data=shom, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "shom.FE.z.h2": 0.019740425531914883,  # rma(yi, vi, data=shom, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "shom.FE.z.q": 0.09870212765957441,  # rma(yi, vi, data=shom, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "shom.FE.z.q_p": 0.99984282628269072,  # rma(yi, vi, data=shom, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "shom.DL.z.estimate": 0.30276595744680856,  # coef(rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "shom.DL.z.se": 0.065232807305344226,  # rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "shom.DL.z.ci_low": 0.17491200451789257,  # rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "shom.DL.z.ci_high": 0.43061991037572456,  # rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "shom.DL.z.stat": 4.6413142397752418,  # rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "shom.DL.z.p_val": 3.4620016747811647e-06,  # rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "shom.DL.z.tau2": 0,  # rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "shom.DL.z.i2": 0,  # rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "shom.DL.z.h2": 1,  # rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "shom.DL.z.q": 0.09870212765957441,  # rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "shom.DL.z.q_p": 0.99984282628269072,  # rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "shom.DL.z.pi_low": 0.17491200451789257,  # predict(rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "shom.DL.z.pi_high": 0.43061991037572456,  # predict(rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "shom.DL.z.tau2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "shom.DL.z.tau2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "shom.DL.z.i2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "shom.DL.z.i2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "shom.DL.z.h2_ci_low": 1,  # confint(rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "shom.DL.z.h2_ci_high": 1,  # confint(rma(yi, vi, data=shom, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "shom.DL.knha.estimate": 0.30276595744680856,  # coef(rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "shom.DL.knha.se": 0.0091652501752055807,  # rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "shom.DL.knha.ci_low": 0.27920593182736253,  # rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "shom.DL.knha.ci_high": 0.3263259830662546,  # rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "shom.DL.knha.stat": 33.034118181069445,  # rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "shom.DL.knha.p_val": 4.7778845661947474e-07,  # rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "shom.DL.knha.tau2": 0,  # rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "shom.DL.knha.i2": 0,  # rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "shom.DL.knha.h2": 1,  # rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "shom.DL.knha.q": 0.09870212765957441,  # rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "shom.DL.knha.q_p": 0.99984282628269072,  # rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "shom.DL.knha.pi_low": 0.27920593182736253,  # predict(rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "shom.DL.knha.pi_high": 0.3263259830662546,  # predict(rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "shom.DL.knha.tau2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "shom.DL.knha.tau2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "shom.DL.knha.i2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "shom.DL.knha.i2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "shom.DL.knha.h2_ci_low": 1,  # confint(rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "shom.DL.knha.h2_ci_high": 1,  # confint(rma(yi, vi, data=shom, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "shom.PM.z.estimate": 0.30276595744680856,  # coef(rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "shom.PM.z.se": 0.065232807305344226,  # rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "shom.PM.z.ci_low": 0.17491200451789257,  # rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "shom.PM.z.ci_high": 0.43061991037572456,  # rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "shom.PM.z.stat": 4.6413142397752418,  # rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "shom.PM.z.p_val": 3.4620016747811647e-06,  # rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "shom.PM.z.tau2": 0,  # rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "shom.PM.z.i2": 0,  # rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "shom.PM.z.h2": 1,  # rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "shom.PM.z.q": 0.09870212765957441,  # rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "shom.PM.z.q_p": 0.99984282628269072,  # rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "shom.PM.z.pi_low": 0.17491200451789257,  # predict(rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "shom.PM.z.pi_high": 0.43061991037572456,  # predict(rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "shom.PM.z.tau2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "shom.PM.z.tau2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "shom.PM.z.i2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "shom.PM.z.i2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "shom.PM.z.h2_ci_low": 1,  # confint(rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "shom.PM.z.h2_ci_high": 1,  # confint(rma(yi, vi, data=shom, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "shom.PM.knha.estimate": 0.30276595744680856,  # coef(rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "shom.PM.knha.se": 0.0091652501752055807,  # rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "shom.PM.knha.ci_low": 0.27920593182736253,  # rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "shom.PM.knha.ci_high": 0.3263259830662546,  # rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "shom.PM.knha.stat": 33.034118181069445,  # rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "shom.PM.knha.p_val": 4.7778845661947474e-07,  # rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "shom.PM.knha.tau2": 0,  # rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "shom.PM.knha.i2": 0,  # rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "shom.PM.knha.h2": 1,  # rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "shom.PM.knha.q": 0.09870212765957441,  # rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "shom.PM.knha.q_p": 0.99984282628269072,  # rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "shom.PM.knha.pi_low": 0.27920593182736253,  # predict(rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "shom.PM.knha.pi_high": 0.3263259830662546,  # predict(rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "shom.PM.knha.tau2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "shom.PM.knha.tau2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "shom.PM.knha.i2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "shom.PM.knha.i2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "shom.PM.knha.h2_ci_low": 1,  # confint(rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "shom.PM.knha.h2_ci_high": 1,  # confint(rma(yi, vi, data=shom, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "shom.REML.z.estimate": 0.30276595744680856,  # coef(rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "shom.REML.z.se": 0.065232807305344226,  # rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "shom.REML.z.ci_low": 0.17491200451789257,  # rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "shom.REML.z.ci_high": 0.43061991037572456,  # rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "shom.REML.z.stat": 4.6413142397752418,  # rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "shom.REML.z.p_val": 3.4620016747811647e-06,  # rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "shom.REML.z.tau2": 0,  # rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "shom.REML.z.i2": 0,  # rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "shom.REML.z.h2": 1,  # rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "shom.REML.z.q": 0.09870212765957441,  # rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "shom.REML.z.q_p": 0.99984282628269072,  # rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "shom.REML.z.pi_low": 0.17491200451789257,  # predict(rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "shom.REML.z.pi_high": 0.43061991037572456,  # predict(rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "shom.REML.z.tau2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "shom.REML.z.tau2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "shom.REML.z.i2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "shom.REML.z.i2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "shom.REML.z.h2_ci_low": 1,  # confint(rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "shom.REML.z.h2_ci_high": 1,  # confint(rma(yi, vi, data=shom, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "shom.REML.knha.estimate": 0.30276595744680856,  # coef(rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "shom.REML.knha.se": 0.0091652501752055807,  # rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "shom.REML.knha.ci_low": 0.27920593182736253,  # rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "shom.REML.knha.ci_high": 0.3263259830662546,  # rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "shom.REML.knha.stat": 33.034118181069445,  # rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "shom.REML.knha.p_val": 4.7778845661947474e-07,  # rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "shom.REML.knha.tau2": 0,  # rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "shom.REML.knha.i2": 0,  # rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "shom.REML.knha.h2": 1,  # rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "shom.REML.knha.q": 0.09870212765957441,  # rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "shom.REML.knha.q_p": 0.99984282628269072,  # rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "shom.REML.knha.pi_low": 0.27920593182736253,  # predict(rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "shom.REML.knha.pi_high": 0.3263259830662546,  # predict(rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "shom.REML.knha.tau2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "shom.REML.knha.tau2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "shom.REML.knha.i2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "shom.REML.knha.i2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "shom.REML.knha.h2_ci_low": 1,  # confint(rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "shom.REML.knha.h2_ci_high": 1,  # confint(rma(yi, vi, data=shom, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "shom.ML.z.estimate": 0.30276595744680856,  # coef(rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "shom.ML.z.se": 0.065232807305344226,  # rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "shom.ML.z.ci_low": 0.17491200451789257,  # rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "shom.ML.z.ci_high": 0.43061991037572456,  # rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "shom.ML.z.stat": 4.6413142397752418,  # rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "shom.ML.z.p_val": 3.4620016747811647e-06,  # rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "shom.ML.z.tau2": 0,  # rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "shom.ML.z.i2": 0,  # rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "shom.ML.z.h2": 1,  # rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "shom.ML.z.q": 0.09870212765957441,  # rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "shom.ML.z.q_p": 0.99984282628269072,  # rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "shom.ML.z.pi_low": 0.17491200451789257,  # predict(rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "shom.ML.z.pi_high": 0.43061991037572456,  # predict(rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "shom.ML.z.tau2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "shom.ML.z.tau2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "shom.ML.z.i2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "shom.ML.z.i2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "shom.ML.z.h2_ci_low": 1,  # confint(rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "shom.ML.z.h2_ci_high": 1,  # confint(rma(yi, vi, data=shom, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "shom.ML.knha.estimate": 0.30276595744680856,  # coef(rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "shom.ML.knha.se": 0.0091652501752055807,  # rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "shom.ML.knha.ci_low": 0.27920593182736253,  # rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "shom.ML.knha.ci_high": 0.3263259830662546,  # rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "shom.ML.knha.stat": 33.034118181069445,  # rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "shom.ML.knha.p_val": 4.7778845661947474e-07,  # rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "shom.ML.knha.tau2": 0,  # rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "shom.ML.knha.i2": 0,  # rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "shom.ML.knha.h2": 1,  # rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "shom.ML.knha.q": 0.09870212765957441,  # rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "shom.ML.knha.q_p": 0.99984282628269072,  # rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "shom.ML.knha.pi_low": 0.27920593182736253,  # predict(rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "shom.ML.knha.pi_high": 0.3263259830662546,  # predict(rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "shom.ML.knha.tau2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "shom.ML.knha.tau2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "shom.ML.knha.i2_ci_low": 0,  # confint(rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "shom.ML.knha.i2_ci_high": 0,  # confint(rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "shom.ML.knha.h2_ci_low": 1,  # confint(rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "shom.ML.knha.h2_ci_high": 1,  # confint(rma(yi, vi, data=shom, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "sacc.FE.z.estimate": 2.0723447136500979,  # coef(rma(yi, vi, data=sacc, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sacc.FE.z.se": 0.066888582454220136,  # rma(yi, vi, data=sacc, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "sacc.FE.z.ci_low": 1.9412455010628886,  # rma(yi, vi, data=sacc, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "sacc.FE.z.ci_high": 2.2034439262373069,  # rma(yi, vi, data=sacc, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "sacc.FE.z.stat": 30.982039648821253,  # rma(yi, vi, data=sacc, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "sacc.FE.z.p_val": 9.4105001967106599e-211,  # rma(yi, vi, data=sacc, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "sacc.FE.z.tau2": 0,  # rma(yi, vi, data=sacc, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "sacc.FE.z.i2": 53.393171317467868,  # rma(yi, vi, data=sacc, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "sacc.FE.z.h2": 2.1456083330870181,  # rma(yi, vi, data=sacc, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "sacc.FE.z.q": 15.019258331609127,  # rma(yi, vi, data=sacc, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "sacc.FE.z.q_p": 0.03575333203525273,  # rma(yi, vi, data=sacc, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "sacc.DL.z.estimate": 2.1072825482165589,  # coef(rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sacc.DL.z.se": 0.11801202440244736,  # rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "sacc.DL.z.ci_low": 1.8759832306451001,  # rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "sacc.DL.z.ci_high": 2.3385818657880177,  # rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "sacc.DL.z.stat": 17.856507071095187,  # rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "sacc.DL.z.p_val": 2.5724220077217752e-71,  # rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "sacc.DL.z.tau2": 0.05030702895838917,  # rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "sacc.DL.z.i2": 53.393171317467853,  # rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "sacc.DL.z.h2": 2.1456083330870181,  # rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "sacc.DL.z.q": 15.019258331609127,  # rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "sacc.DL.z.q_p": 0.03575333203525273,  # rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "sacc.DL.z.pi_low": 1.6105414139784717,  # predict(rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "sacc.DL.z.pi_high": 2.6040236824546463,  # predict(rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "sacc.DL.z.tau2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "sacc.DL.z.tau2_ci_high": 2.349730733853181,  # confint(rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "sacc.DL.z.i2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "sacc.DL.z.i2_ci_high": 98.1654354158064,  # confint(rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "sacc.DL.z.h2_ci_low": 1,  # confint(rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "sacc.DL.z.h2_ci_high": 54.50884687385188,  # confint(rma(yi, vi, data=sacc, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "sacc.DL.knha.estimate": 2.1072825482165589,  # coef(rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sacc.DL.knha.se": 0.13853892023736231,  # rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "sacc.DL.knha.ci_low": 1.7796900576338137,  # rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "sacc.DL.knha.ci_high": 2.4348750387993041,  # rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "sacc.DL.knha.stat": 15.21076203427959,  # rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "sacc.DL.knha.p_val": 1.2777145400867924e-06,  # rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "sacc.DL.knha.tau2": 0.05030702895838917,  # rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "sacc.DL.knha.i2": 53.393171317467853,  # rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "sacc.DL.knha.h2": 2.1456083330870181,  # rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "sacc.DL.knha.q": 15.019258331609127,  # rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "sacc.DL.knha.q_p": 0.03575333203525273,  # rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "sacc.DL.knha.pi_low": 1.4838998657037299,  # predict(rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "sacc.DL.knha.pi_high": 2.7306652307293877,  # predict(rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "sacc.DL.knha.tau2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "sacc.DL.knha.tau2_ci_high": 2.349730733853181,  # confint(rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "sacc.DL.knha.i2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "sacc.DL.knha.i2_ci_high": 98.1654354158064,  # confint(rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "sacc.DL.knha.h2_ci_low": 1,  # confint(rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "sacc.DL.knha.h2_ci_high": 54.50884687385188,  # confint(rma(yi, vi, data=sacc, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "sacc.PM.z.estimate": 2.1237096320218054,  # coef(rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sacc.PM.z.se": 0.15964819948791051,  # rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "sacc.PM.z.ci_low": 1.8108049108288349,  # rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "sacc.PM.z.ci_high": 2.4366143532147757,  # rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "sacc.PM.z.stat": 13.302433969401735,  # rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "sacc.PM.z.p_val": 2.2405404853122254e-40,  # rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "sacc.PM.z.tau2": 0.12742438397543046,  # rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "sacc.PM.z.i2": 74.370476724748556,  # rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "sacc.PM.z.h2": 3.9017502950030556,  # rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "sacc.PM.z.q": 15.019258331609127,  # rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "sacc.PM.z.q_p": 0.03575333203525273,  # rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "sacc.PM.z.pi_low": 1.3572861927020106,  # predict(rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "sacc.PM.z.pi_high": 2.8901330713416002,  # predict(rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "sacc.PM.z.tau2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "sacc.PM.z.tau2_ci_high": 2.349730733853181,  # confint(rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "sacc.PM.z.i2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "sacc.PM.z.i2_ci_high": 98.1654354158064,  # confint(rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "sacc.PM.z.h2_ci_low": 1,  # confint(rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "sacc.PM.z.h2_ci_high": 54.50884687385188,  # confint(rma(yi, vi, data=sacc, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "sacc.PM.knha.estimate": 2.1237096320218054,  # coef(rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sacc.PM.knha.se": 0.15964819948784975,  # rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "sacc.PM.knha.ci_low": 1.7462016277897132,  # rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "sacc.PM.knha.ci_high": 2.5012176362538976,  # rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "sacc.PM.knha.stat": 13.302433969406797,  # rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "sacc.PM.knha.p_val": 3.1755456916338514e-06,  # rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "sacc.PM.knha.tau2": 0.12742438397543046,  # rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "sacc.PM.knha.i2": 74.370476724748556,  # rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "sacc.PM.knha.h2": 3.9017502950030556,  # rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "sacc.PM.knha.q": 15.019258331609127,  # rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "sacc.PM.knha.q_p": 0.03575333203525273,  # rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "sacc.PM.knha.pi_low": 1.1990480229821285,  # predict(rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "sacc.PM.knha.pi_high": 3.0483712410614823,  # predict(rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "sacc.PM.knha.tau2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "sacc.PM.knha.tau2_ci_high": 2.349730733853181,  # confint(rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "sacc.PM.knha.i2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "sacc.PM.knha.i2_ci_high": 98.1654354158064,  # confint(rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "sacc.PM.knha.h2_ci_low": 1,  # confint(rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "sacc.PM.knha.h2_ci_high": 54.50884687385188,  # confint(rma(yi, vi, data=sacc, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "sacc.REML.z.estimate": 2.103331989804829,  # coef(rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sacc.REML.z.se": 0.10867889737335473,  # rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "sacc.REML.z.ci_low": 1.8903252650735292,  # rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "sacc.REML.z.ci_high": 2.3163387145361289,  # rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "sacc.REML.z.stat": 19.35363755650793,  # rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "sacc.REML.z.p_val": 1.8995090450352706e-83,  # rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "sacc.REML.z.tau2": 0.037214906229496927,  # rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "sacc.REML.z.i2": 45.871927302294061,  # rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "sacc.REML.z.h2": 1.8474701761224579,  # rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "sacc.REML.z.q": 15.019258331609127,  # rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "sacc.REML.z.q_p": 0.03575333203525273,  # rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "sacc.REML.z.pi_low": 1.6693603379917625,  # predict(rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "sacc.REML.z.pi_high": 2.5373036416178953,  # predict(rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "sacc.REML.z.tau2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "sacc.REML.z.tau2_ci_high": 2.349730733853181,  # confint(rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "sacc.REML.z.i2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "sacc.REML.z.i2_ci_high": 98.1654354158064,  # confint(rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "sacc.REML.z.h2_ci_low": 1,  # confint(rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "sacc.REML.z.h2_ci_high": 54.50884687385188,  # confint(rma(yi, vi, data=sacc, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "sacc.REML.knha.estimate": 2.103331989804829,  # coef(rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sacc.REML.knha.se": 0.1328965887336169,  # rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "sacc.REML.knha.ci_low": 1.7890814931313661,  # rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "sacc.REML.knha.ci_high": 2.4175824864782918,  # rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "sacc.REML.knha.stat": 15.826832049247175,  # rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "sacc.REML.knha.p_val": 9.744660762760469e-07,  # rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "sacc.REML.knha.tau2": 0.037214906229496927,  # rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "sacc.REML.knha.i2": 45.871927302294061,  # rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "sacc.REML.knha.h2": 1.8474701761224579,  # rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "sacc.REML.knha.q": 15.019258331609127,  # rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "sacc.REML.knha.q_p": 0.03575333203525273,  # rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "sacc.REML.knha.pi_low": 1.5494018659355635,  # predict(rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "sacc.REML.knha.pi_high": 2.6572621136740944,  # predict(rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "sacc.REML.knha.tau2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "sacc.REML.knha.tau2_ci_high": 2.349730733853181,  # confint(rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "sacc.REML.knha.i2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "sacc.REML.knha.i2_ci_high": 98.1654354158064,  # confint(rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "sacc.REML.knha.h2_ci_low": 1,  # confint(rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "sacc.REML.knha.h2_ci_high": 54.50884687385188,  # confint(rma(yi, vi, data=sacc, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "sacc.ML.z.estimate": 2.0880027361609286,  # coef(rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sacc.ML.z.se": 0.082123265097462622,  # rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "sacc.ML.z.ci_low": 1.9270440942770666,  # rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "sacc.ML.z.ci_high": 2.2489613780447906,  # rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "sacc.ML.z.stat": 25.425227962903318,  # rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$zval
    "sacc.ML.z.p_val": 1.3269730820970779e-142,  # rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "sacc.ML.z.tau2": 0.0093797690667046761,  # rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "sacc.ML.z.i2": 17.600473667276873,  # rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "sacc.ML.z.h2": 1.2135992092503964,  # rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$H2
    "sacc.ML.z.q": 15.019258331609127,  # rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "sacc.ML.z.q_p": 0.03575333203525273,  # rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$QEp
    "sacc.ML.z.pi_low": 1.8391258971130495,  # predict(rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "sacc.ML.z.pi_high": 2.3368795752088078,  # predict(rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "sacc.ML.z.tau2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "sacc.ML.z.tau2_ci_high": 2.349730733853181,  # confint(rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "sacc.ML.z.i2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "sacc.ML.z.i2_ci_high": 98.1654354158064,  # confint(rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "sacc.ML.z.h2_ci_low": 1,  # confint(rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "sacc.ML.z.h2_ci_high": 54.50884687385188,  # confint(rma(yi, vi, data=sacc, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "sacc.ML.knha.estimate": 2.0880027361609286,  # coef(rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sacc.ML.knha.se": 0.11304247675136034,  # rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "sacc.ML.knha.ci_low": 1.8206997541745484,  # rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "sacc.ML.knha.ci_high": 2.3553057181473087,  # rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.ub
    "sacc.ML.knha.stat": 18.470957078846929,  # rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$zval
    "sacc.ML.knha.p_val": 3.3798908207356749e-07,  # rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "sacc.ML.knha.tau2": 0.0093797690667046761,  # rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "sacc.ML.knha.i2": 17.600473667276873,  # rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "sacc.ML.knha.h2": 1.2135992092503964,  # rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$H2
    "sacc.ML.knha.q": 15.019258331609127,  # rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "sacc.ML.knha.q_p": 0.03575333203525273,  # rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QEp
    "sacc.ML.knha.pi_low": 1.73601214854276,  # predict(rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.lb
    "sacc.ML.knha.pi_high": 2.4399933237790972,  # predict(rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pi.ub
    "sacc.ML.knha.tau2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 2]
    "sacc.ML.knha.tau2_ci_high": 2.349730733853181,  # confint(rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[1, 3]
    "sacc.ML.knha.i2_ci_low": 0,  # confint(rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 2]
    "sacc.ML.knha.i2_ci_high": 98.1654354158064,  # confint(rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[3, 3]
    "sacc.ML.knha.h2_ci_low": 1,  # confint(rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 2]
    "sacc.ML.knha.h2_ci_high": 54.50884687385188,  # confint(rma(yi, vi, data=sacc, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)), control=list(tol=1e-12))$random[4, 3]
    "bcg.mreg.FE.z.beta": [17.151801172134434, -0.033875449410478431, -0.0084660391148465367],  # coef(rma(yi, vi, mods=~ablat+year, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12)))
    "bcg.mreg.FE.z.se": [10.832056246486836, 0.0039963387410101225, 0.005455780223358804],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.mreg.FE.z.p_val": [0.11332352441752493, 2.3182835592722948e-17, 0.12072064318007514],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.mreg.FE.z.ci_low": [-4.0786389494918858, -0.041708129412880414, -0.019159171860195681],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.mreg.FE.z.tau2": 0,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.mreg.FE.z.qm": 123.90786442441011,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$QM
    "bcg.mreg.FE.z.qm_p": 1.2409352120741573e-27,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$QMp
    "bcg.mreg.FE.z.qe": 28.325143656255275,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.mreg.FE.z.i2": 64.695677729452157,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="FE", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.mreg.DL.z.beta": [-1.2797914382852602, -0.028764483989729341, 0.00077207978176895692],  # coef(rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12)))
    "bcg.mreg.DL.z.se": [25.754969229710458, 0.0089792122350190427, 0.012998474730345223],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.mreg.DL.z.p_val": [0.96036858950311554, 0.0013579022249057124, 0.95263532784835914],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.mreg.DL.z.ci_low": [-51.758603551455046, -0.046363416579908071, -0.024704462543661668],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.mreg.DL.z.tau2": 0.079038957809128341,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.mreg.DL.z.qm": 15.931438270260999,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$QM
    "bcg.mreg.DL.z.qm_p": 0.00034716196286823075,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$QMp
    "bcg.mreg.DL.z.qe": 28.325143656255275,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.mreg.DL.z.i2": 64.695677729452157,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.mreg.DL.z.r2": 74.401188457221124,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="z", control=list(threshold=1e-12, tol=1e-12))$R2
    "bcg.mreg.DL.knha.beta": [-1.2797914382852602, -0.028764483989729341, 0.00077207978176895692],  # coef(rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12)))
    "bcg.mreg.DL.knha.se": [30.585404122280622, 0.010663295011471908, 0.015436384297529629],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.mreg.DL.knha.p_val": [0.967447362464117, 0.022408441204272694, 0.96109386876566483],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.mreg.DL.knha.ci_low": [-69.428318666839871, -0.052523785894981329, -0.033622327805747663],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.mreg.DL.knha.tau2": 0.079038957809128341,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.mreg.DL.knha.qm": 5.6483111635260652,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$QM
    "bcg.mreg.DL.knha.qm_p": 0.022826869392481883,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$QMp
    "bcg.mreg.DL.knha.qe": 28.325143656255275,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.mreg.DL.knha.i2": 64.695677729452157,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.mreg.DL.knha.r2": 74.401188457221124,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="DL", test="knha", control=list(threshold=1e-12, tol=1e-12))$R2
    "bcg.mreg.PM.z.beta": [-6.0888303630444565, -0.027019578008974299, 0.0031799545142139085],  # coef(rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12)))
    "bcg.mreg.PM.z.se": [34.361357198033005, 0.012252311818702536, 0.017339170322623682],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.mreg.PM.z.p_val": [0.85935134440875727, 0.027435598298407103, 0.85448640767551076],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.mreg.PM.z.ci_low": [-73.435852931105273, -0.051033667900985721, -0.030804194839934251],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.mreg.PM.z.tau2": 0.17163711572442292,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.mreg.PM.z.qm": 8.4815345168774421,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$QM
    "bcg.mreg.PM.z.qm_p": 0.014396541736374986,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$QMp
    "bcg.mreg.PM.z.qe": 28.325143656255275,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.mreg.PM.z.i2": 79.917251531657485,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.mreg.PM.z.r2": 46.037680085987517,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="z", control=list(threshold=1e-12, tol=1e-12))$R2
    "bcg.mreg.PM.knha.beta": [-6.0888303630444565, -0.027019578008974299, 0.0031799545142139085],  # coef(rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12)))
    "bcg.mreg.PM.knha.se": [34.361357198041105, 0.012252311818705425, 0.017339170322627769],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.mreg.PM.knha.p_val": [0.8628890429995526, 0.051975869312752727, 0.858151596018638],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.mreg.PM.knha.ci_low": [-82.650705342978071, -0.054319429998882465, -0.035454124542840408],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.mreg.PM.knha.tau2": 0.17163711572442292,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.mreg.PM.knha.qm": 4.2407672584367209,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$QM
    "bcg.mreg.PM.knha.qm_p": 0.046377769878612821,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$QMp
    "bcg.mreg.PM.knha.qe": 28.325143656255275,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.mreg.PM.knha.i2": 79.917251531657485,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.mreg.PM.knha.r2": 46.037680085987517,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="PM", test="knha", control=list(threshold=1e-12, tol=1e-12))$R2
    "bcg.mreg.REML.z.beta": [-3.5453530199583811, -0.028011329444197406, 0.0019074804475227242],  # coef(rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12)))
    "bcg.mreg.REML.z.se": [29.095622232702503, 0.010233943231041471, 0.014683685892068078],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.mreg.REML.z.p_val": [0.90301641417496992, 0.0061983385045639586, 0.89664179142617972],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.mreg.REML.z.ci_low": [-60.571724703838157, -0.048069489596866161, -0.0268720150612296],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.mreg.REML.z.tau2": 0.11078469694797478,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.mreg.REML.z.qm": 12.204486879171048,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$QM
    "bcg.mreg.REML.z.qm_p": 0.0022378416212407337,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$QMp
    "bcg.mreg.REML.z.qe": 28.325143656255275,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.mreg.REML.z.i2": 71.977317778545554,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.mreg.REML.z.r2": 64.633014735243293,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$R2
    "bcg.mreg.REML.knha.beta": [-3.5453530199583811, -0.028011329444197406, 0.0019074804475227242],  # coef(rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))
    "bcg.mreg.REML.knha.se": [32.256339483514871, 0.01134567752067047, 0.01627880487365856],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.mreg.REML.knha.p_val": [0.9146537739349454, 0.033167335146723813, 0.90904082612827586],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.mreg.REML.knha.ci_low": [-75.416956246036747, -0.053291074330110585, -0.034363957155379425],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.mreg.REML.knha.tau2": 0.11078469694797478,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.mreg.REML.knha.qm": 4.9649475558815723,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QM
    "bcg.mreg.REML.knha.qm_p": 0.031803501285946709,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QMp
    "bcg.mreg.REML.knha.qe": 28.325143656255275,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.mreg.REML.knha.i2": 71.977317778545554,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.mreg.REML.knha.r2": 64.633014735243293,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$R2
    "bcg.mreg.ML.z.beta": [6.6109241742029887, -0.030851422659636293, -0.0031900620797123995],  # coef(rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12)))
    "bcg.mreg.ML.z.se": [18.191325899221575, 0.0062870577066254226, 0.0091798070359699439],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.mreg.ML.z.p_val": [0.71629804033315936, 9.2417792185419041e-07, 0.72820924333797388],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.mreg.ML.z.ci_low": [-29.043419419302008, -0.043173829333347111, -0.021182153255240872],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.mreg.ML.z.tau2": 0.026873199316945286,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.mreg.ML.z.qm": 33.938204929241692,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$QM
    "bcg.mreg.ML.z.qm_p": 4.26984821312638e-08,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$QMp
    "bcg.mreg.ML.z.qe": 28.325143656255275,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.mreg.ML.z.i2": 38.387748215093389,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.mreg.ML.z.r2": 90.403393180749575,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="z", control=list(threshold=1e-12, tol=1e-12))$R2
    "bcg.mreg.ML.knha.beta": [6.6109241742029887, -0.030851422659636293, -0.0031900620797123995],  # coef(rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12)))
    "bcg.mreg.ML.knha.se": [25.439605544587266, 0.0087921171320146721, 0.01283747381934899],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.mreg.ML.knha.p_val": [0.80023804035582202, 0.0056411920940519665, 0.80877937713390446],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$pval
    "bcg.mreg.ML.knha.ci_low": [-50.072049318897342, -0.050441480432692323, -0.03179373625796051],  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$ci.lb
    "bcg.mreg.ML.knha.tau2": 0.026873199316945286,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.mreg.ML.knha.qm": 8.6769448014754413,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QM
    "bcg.mreg.ML.knha.qm_p": 0.0065298702353830231,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QMp
    "bcg.mreg.ML.knha.qe": 28.325143656255275,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QE
    "bcg.mreg.ML.knha.i2": 38.387748215093389,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$I2
    "bcg.mreg.ML.knha.r2": 90.403393180749575,  # rma(yi, vi, mods=~ablat+year, data=bcg, method="ML", test="knha", control=list(threshold=1e-12, tol=1e-12))$R2
    "bcg.mreg.alloc.REML.z.beta": [-0.51795577715529995, -0.44781840139052453, 0.089038216231707976],  # coef(rma(yi, vi, mods=~factor(alloc), data=bcg, method="REML", control=list(threshold=1e-12, tol=1e-12)))
    "bcg.sub.alloc.REML.z.qm": 1.7675114019319449,  # rma(yi, vi, mods=~factor(alloc), data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$QM
    "bcg.sub.alloc.REML.z.qm_p": 0.41322803275731662,  # rma(yi, vi, mods=~factor(alloc), data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$QMp
    "bcg.sub.alloc.REML.z.tau2": 0.36150366432389963,  # rma(yi, vi, mods=~factor(alloc), data=bcg, method="REML", test="z", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.sub.alloc.REML.knha.qm": 0.9662208448133025,  # rma(yi, vi, mods=~factor(alloc), data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QM
    "bcg.sub.alloc.REML.knha.qm_p": 0.41338374572166542,  # rma(yi, vi, mods=~factor(alloc), data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$QMp
    "bcg.sub.alloc.REML.knha.tau2": 0.36150366432389963,  # rma(yi, vi, mods=~factor(alloc), data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.sub.alternate.estimate": -0.54079296184934578,  # coef(rma(yi, vi, data=bcg, subset=alloc=="alternate", method="REML", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.sub.alternate.se": 0.28160161310388798,  # rma(yi, vi, data=bcg, subset=alloc=="alternate", method="REML", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.sub.alternate.tau2": 0.13257703987809277,  # rma(yi, vi, data=bcg, subset=alloc=="alternate", method="REML", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.sub.random.estimate": -0.97096470426308867,  # coef(rma(yi, vi, data=bcg, subset=alloc=="random", method="REML", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.sub.random.se": 0.27595610297276973,  # rma(yi, vi, data=bcg, subset=alloc=="random", method="REML", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.sub.random.tau2": 0.39252800690077383,  # rma(yi, vi, data=bcg, subset=alloc=="random", method="REML", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.sub.systematic.estimate": -0.42420739151087189,  # coef(rma(yi, vi, data=bcg, subset=alloc=="systematic", method="REML", control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.sub.systematic.se": 0.35974523243312445,  # rma(yi, vi, data=bcg, subset=alloc=="systematic", method="REML", control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.sub.systematic.tau2": 0.40034588017511807,  # rma(yi, vi, data=bcg, subset=alloc=="systematic", method="REML", control=list(threshold=1e-12, tol=1e-12))$tau2
    "bcg.sub.alloc.REML.qb": 1.8614449461546356,  # rma(sub_est, sei=sub_se, method="FE")$QE
    "bcg.sub.alloc.REML.qb_p": 0.39426875888558488,  # rma(sub_est, sei=sub_se, method="FE")$QEp
    "bcg.FE.regtest.z": -4.8019462450234638,  # regtest(rma(yi, vi, data=bcg, method="FE", control=list(threshold=1e-12, tol=1e-12)))$zval
    "bcg.FE.regtest.p": 1.5713087960221449e-06,  # regtest(rma(yi, vi, data=bcg, method="FE", control=list(threshold=1e-12, tol=1e-12)))$pval
    "bcg.FE.regtest.est": -0.19092864235982066,  # regtest(rma(yi, vi, data=bcg, method="FE", control=list(threshold=1e-12, tol=1e-12)))$est
    "bcg.FE.ranktest.tau": 0.02564102564102564,  # suppressWarnings(ranktest(rma(yi, vi, data=bcg, method="FE", control=list(threshold=1e-12, tol=1e-12))))$tau
    "bcg.FE.ranktest.p": 0.95236190796086628,  # suppressWarnings(ranktest(rma(yi, vi, data=bcg, method="FE", control=list(threshold=1e-12, tol=1e-12))))$pval
    "bcg.FE.trimfill.k0": 4,  # trimfill(rma(yi, vi, data=bcg, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$k0
    "bcg.FE.trimfill.right": 1,  # as.numeric(trimfill(rma(yi, vi, data=bcg, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$side == "right")
    "bcg.FE.trimfill.estimate": -0.2910259921063531,  # coef(trimfill(rma(yi, vi, data=bcg, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.FE.trimfill.se": 0.038264136604139,  # trimfill(rma(yi, vi, data=bcg, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.FE.leave1out.estimate": [-0.42796108964187823, -0.42046588220075509, -0.426646759649222, -0.33999461309983386, -0.43732413017959476, -0.3194470200277591, -0.42146409453503458, -0.74273706304094833, -0.42911381223139483, -0.40866317576307964, -0.4441295590253731, -0.43299224401856778, -0.43999402956529715],  # leave1out(rma(yi, vi, data=bcg, method="FE", control=list(threshold=1e-12, tol=1e-12)))$estimate
    "bcg.FE.leave1out.se": [0.040601145938919982, 0.04067052293891029, 0.040578947287201329, 0.042268061676096952, 0.041163300902464117, 0.046379319634979287, 0.040648499370980098, 0.052905153590745546, 0.041100406498433148, 0.04096136353214954, 0.043472716573839026, 0.040561265409508843, 0.040972044659416104],  # leave1out(rma(yi, vi, data=bcg, method="FE", control=list(threshold=1e-12, tol=1e-12)))$se
    "bcg.FE.leave1out.tau2": [],  # leave1out(rma(yi, vi, data=bcg, method="FE", control=list(threshold=1e-12, tol=1e-12)))$tau2
    "bcg.DL.regtest.z": -0.83790844048442725,  # regtest(rma(yi, vi, data=bcg, method="DL", control=list(threshold=1e-12, tol=1e-12)))$zval
    "bcg.DL.regtest.p": 0.40208212797300769,  # regtest(rma(yi, vi, data=bcg, method="DL", control=list(threshold=1e-12, tol=1e-12)))$pval
    "bcg.DL.regtest.est": -0.50634903874546466,  # regtest(rma(yi, vi, data=bcg, method="DL", control=list(threshold=1e-12, tol=1e-12)))$est
    "bcg.DL.ranktest.tau": 0.02564102564102564,  # suppressWarnings(ranktest(rma(yi, vi, data=bcg, method="DL", control=list(threshold=1e-12, tol=1e-12))))$tau
    "bcg.DL.ranktest.p": 0.95236190796086628,  # suppressWarnings(ranktest(rma(yi, vi, data=bcg, method="DL", control=list(threshold=1e-12, tol=1e-12))))$pval
    "bcg.DL.trimfill.k0": 1,  # trimfill(rma(yi, vi, data=bcg, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$k0
    "bcg.DL.trimfill.right": 1,  # as.numeric(trimfill(rma(yi, vi, data=bcg, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$side == "right")
    "bcg.DL.trimfill.estimate": -0.65607321298860177,  # coef(trimfill(rma(yi, vi, data=bcg, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.DL.trimfill.se": 0.17346340246538833,  # trimfill(rma(yi, vi, data=bcg, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.DL.leave1out.estimate": [-0.70512519841745114, -0.65451587508797149, -0.68484174870459447, -0.61869687071527502, -0.7640357017415087, -0.7127273366062129, -0.6556939493553221, -0.79008659985370089, -0.73926335653631547, -0.65258520458253322, -0.760694174161193, -0.76001281829968115, -0.77892374005707254],  # leave1out(rma(yi, vi, data=bcg, method="DL", control=list(threshold=1e-12, tol=1e-12)))$estimate
    "bcg.DL.leave1out.se": [0.18425006745165473, 0.18253833132073971, 0.18276392093386204, 0.16407307222272868, 0.19141235027154843, 0.20537550603998508, 0.18235266476785417, 0.1630846384003222, 0.19138004027666364, 0.18325651070164001, 0.20627517574791626, 0.18238617575781949, 0.18891870412607736],  # leave1out(rma(yi, vi, data=bcg, method="DL", control=list(threshold=1e-12, tol=1e-12)))$se
    "bcg.DL.leave1out.tau2": [0.31217149904067859, 0.29997459082210959, 0.30852706980140088, 0.21673355794581378, 0.32620888271247461, 0.38291902183230342, 0.30057127632259167, 0.21088523257486974, 0.32660926031825072, 0.29464487852775811, 0.38780919896360988, 0.30938044631726364, 0.31770327992381425],  # leave1out(rma(yi, vi, data=bcg, method="DL", control=list(threshold=1e-12, tol=1e-12)))$tau2
    "bcg.REML.regtest.z": -0.80332919309080397,  # regtest(rma(yi, vi, data=bcg, method="REML", control=list(threshold=1e-12, tol=1e-12)))$zval
    "bcg.REML.regtest.p": 0.421784488855319,  # regtest(rma(yi, vi, data=bcg, method="REML", control=list(threshold=1e-12, tol=1e-12)))$pval
    "bcg.REML.regtest.est": -0.51043187410303659,  # regtest(rma(yi, vi, data=bcg, method="REML", control=list(threshold=1e-12, tol=1e-12)))$est
    "bcg.REML.ranktest.tau": 0.02564102564102564,  # suppressWarnings(ranktest(rma(yi, vi, data=bcg, method="REML", control=list(threshold=1e-12, tol=1e-12))))$tau
    "bcg.REML.ranktest.p": 0.95236190796086628,  # suppressWarnings(ranktest(rma(yi, vi, data=bcg, method="REML", control=list(threshold=1e-12, tol=1e-12))))$pval
    "bcg.REML.trimfill.k0": 1,  # trimfill(rma(yi, vi, data=bcg, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$k0
    "bcg.REML.trimfill.right": 1,  # as.numeric(trimfill(rma(yi, vi, data=bcg, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$side == "right")
    "bcg.REML.trimfill.estimate": -0.65708278348776694,  # coef(trimfill(rma(yi, vi, data=bcg, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "bcg.REML.trimfill.se": 0.17852838013187666,  # trimfill(rma(yi, vi, data=bcg, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$se
    "bcg.REML.leave1out.estimate": [-0.70708378469926159, -0.65403120029352635, -0.68555441083661839, -0.62840936980769824, -0.76417009514025547, -0.71087655556400853, -0.6552475997846624, -0.79476760451552153, -0.74119729930449296, -0.65303291530587748, -0.75785862672350146, -0.75981209933446681, -0.77753618489436793],  # leave1out(rma(yi, vi, data=bcg, method="REML", control=list(threshold=1e-12, tol=1e-12)))$estimate
    "bcg.REML.leave1out.se": [0.18996101452887812, 0.18069538623299397, 0.18570619673952315, 0.17661889178480983, 0.19178764474374033, 0.20025404840174088, 0.18047336921036927, 0.17987768598058249, 0.19667491771497969, 0.18426748788590411, 0.19578686613163859, 0.18209098194195239, 0.18553597736792604],  # leave1out(rma(yi, vi, data=bcg, method="REML", control=list(threshold=1e-12, tol=1e-12)))$se
    "bcg.REML.leave1out.tau2": [0.33615670180367124, 0.29258308399631078, 0.32073792964905623, 0.26275814809113363, 0.32780326044208113, 0.35955407037681725, 0.29302586976726297, 0.27318292938666539, 0.34945200980548863, 0.2987245046332464, 0.34048828779298917, 0.30816221479543732, 0.30373336636716847],  # leave1out(rma(yi, vi, data=bcg, method="REML", control=list(threshold=1e-12, tol=1e-12)))$tau2
    "bcg.REML.knha.regtest.t": -0.78115413360178898,  # regtest(rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$zval
    "bcg.REML.knha.regtest.p": 0.45119667995377299,  # regtest(rma(yi, vi, data=bcg, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pval
    "s5.FE.regtest.z": -2.7335351466674487,  # regtest(rma(yi, vi, data=s5, method="FE", control=list(threshold=1e-12, tol=1e-12)))$zval
    "s5.FE.regtest.p": 0.0062658435685843143,  # regtest(rma(yi, vi, data=s5, method="FE", control=list(threshold=1e-12, tol=1e-12)))$pval
    "s5.FE.regtest.est": 2.0083219007535034,  # regtest(rma(yi, vi, data=s5, method="FE", control=list(threshold=1e-12, tol=1e-12)))$est
    "s5.FE.ranktest.tau": -0.59999999999999987,  # suppressWarnings(ranktest(rma(yi, vi, data=s5, method="FE", control=list(threshold=1e-12, tol=1e-12))))$tau
    "s5.FE.ranktest.p": 0.23333333333333334,  # suppressWarnings(ranktest(rma(yi, vi, data=s5, method="FE", control=list(threshold=1e-12, tol=1e-12))))$pval
    "s5.FE.trimfill.k0": 2,  # trimfill(rma(yi, vi, data=s5, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$k0
    "s5.FE.trimfill.right": 1,  # as.numeric(trimfill(rma(yi, vi, data=s5, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$side == "right")
    "s5.FE.trimfill.estimate": 0.65870967741935471,  # coef(trimfill(rma(yi, vi, data=s5, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "s5.FE.trimfill.se": 0.076270403927312838,  # trimfill(rma(yi, vi, data=s5, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$se
    "s5.FE.leave1out.estimate": [0.52113122171945703, 0.38390501319261222, 0.54012578616352191, 0.30196721311475416, 0.45213822894168459],  # leave1out(rma(yi, vi, data=s5, method="FE", control=list(threshold=1e-12, tol=1e-12)))$estimate
    "s5.FE.leave1out.se": [0.097479548847124411, 0.10527010114581759, 0.093835129064444092, 0.099176940736092956, 0.095243237545015],  # leave1out(rma(yi, vi, data=s5, method="FE", control=list(threshold=1e-12, tol=1e-12)))$se
    "s5.FE.leave1out.tau2": [],  # leave1out(rma(yi, vi, data=s5, method="FE", control=list(threshold=1e-12, tol=1e-12)))$tau2
    "s5.DL.regtest.z": -1.6004015791715456,  # regtest(rma(yi, vi, data=s5, method="DL", control=list(threshold=1e-12, tol=1e-12)))$zval
    "s5.DL.regtest.p": 0.10950952502196999,  # regtest(rma(yi, vi, data=s5, method="DL", control=list(threshold=1e-12, tol=1e-12)))$pval
    "s5.DL.regtest.est": 2.191640402823527,  # regtest(rma(yi, vi, data=s5, method="DL", control=list(threshold=1e-12, tol=1e-12)))$est
    "s5.DL.ranktest.tau": -0.59999999999999987,  # suppressWarnings(ranktest(rma(yi, vi, data=s5, method="DL", control=list(threshold=1e-12, tol=1e-12))))$tau
    "s5.DL.ranktest.p": 0.23333333333333334,  # suppressWarnings(ranktest(rma(yi, vi, data=s5, method="DL", control=list(threshold=1e-12, tol=1e-12))))$pval
    "s5.DL.trimfill.k0": 0,  # trimfill(rma(yi, vi, data=s5, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$k0
    "s5.DL.trimfill.right": 1,  # as.numeric(trimfill(rma(yi, vi, data=s5, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$side == "right")
    "s5.DL.trimfill.estimate": 0.38691363202291157,  # coef(trimfill(rma(yi, vi, data=s5, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "s5.DL.trimfill.se": 0.18834151088686715,  # trimfill(rma(yi, vi, data=s5, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$se
    "s5.DL.leave1out.estimate": [0.45219931437519761, 0.32760497024245439, 0.5215746037685941, 0.24889981438063793, 0.37887776849965238],  # leave1out(rma(yi, vi, data=s5, method="DL", control=list(threshold=1e-12, tol=1e-12)))$estimate
    "s5.DL.leave1out.se": [0.22050066980392721, 0.25116409134620371, 0.17094754111755525, 0.17120891556212423, 0.23664759970904034],  # leave1out(rma(yi, vi, data=s5, method="DL", control=list(threshold=1e-12, tol=1e-12)))$se
    "s5.DL.leave1out.tau2": [0.15291181384248212, 0.20644486166007905, 0.080086706948640479, 0.074958968609865478, 0.18471145552560644],  # leave1out(rma(yi, vi, data=s5, method="DL", control=list(threshold=1e-12, tol=1e-12)))$tau2
    "s5.REML.regtest.z": -1.6242012858380577,  # regtest(rma(yi, vi, data=s5, method="REML", control=list(threshold=1e-12, tol=1e-12)))$zval
    "s5.REML.regtest.p": 0.10433285655112211,  # regtest(rma(yi, vi, data=s5, method="REML", control=list(threshold=1e-12, tol=1e-12)))$pval
    "s5.REML.regtest.est": 2.1894049361716421,  # regtest(rma(yi, vi, data=s5, method="REML", control=list(threshold=1e-12, tol=1e-12)))$est
    "s5.REML.ranktest.tau": -0.59999999999999987,  # suppressWarnings(ranktest(rma(yi, vi, data=s5, method="REML", control=list(threshold=1e-12, tol=1e-12))))$tau
    "s5.REML.ranktest.p": 0.23333333333333334,  # suppressWarnings(ranktest(rma(yi, vi, data=s5, method="REML", control=list(threshold=1e-12, tol=1e-12))))$pval
    "s5.REML.trimfill.k0": 0,  # trimfill(rma(yi, vi, data=s5, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$k0
    "s5.REML.trimfill.right": 1,  # as.numeric(trimfill(rma(yi, vi, data=s5, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$side == "right")
    "s5.REML.trimfill.estimate": 0.38588564045360874,  # coef(trimfill(rma(yi, vi, data=s5, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "s5.REML.trimfill.se": 0.19386270712372458,  # trimfill(rma(yi, vi, data=s5, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$se
    "s5.REML.leave1out.estimate": [0.44971763059879716, 0.32800979195742835, 0.52136478550649057, 0.24913833864746918, 0.37706330873806226],  # leave1out(rma(yi, vi, data=s5, method="REML", control=list(threshold=1e-12, tol=1e-12)))$estimate
    "s5.REML.leave1out.se": [0.23453320773956624, 0.24719271100748136, 0.17300948546422876, 0.1704490273348527, 0.24945303994921064],  # leave1out(rma(yi, vi, data=s5, method="REML", control=list(threshold=1e-12, tol=1e-12)))$se
    "s5.REML.leave1out.tau2": [0.17834546778461158, 0.19853976158878942, 0.082907162444146393, 0.073933761389501709, 0.20954204444309868],  # leave1out(rma(yi, vi, data=s5, method="REML", control=list(threshold=1e-12, tol=1e-12)))$tau2
    "s5.REML.knha.regtest.t": -1.6442041138389563,  # regtest(rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$zval
    "s5.REML.knha.regtest.p": 0.19868126340071615,  # regtest(rma(yi, vi, data=s5, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pval
    "sfun.FE.regtest.z": 3.8278039620057736,  # regtest(rma(yi, vi, data=sfun, method="FE", control=list(threshold=1e-12, tol=1e-12)))$zval
    "sfun.FE.regtest.p": 0.00012929166659972412,  # regtest(rma(yi, vi, data=sfun, method="FE", control=list(threshold=1e-12, tol=1e-12)))$pval
    "sfun.FE.regtest.est": -0.085058546289735443,  # regtest(rma(yi, vi, data=sfun, method="FE", control=list(threshold=1e-12, tol=1e-12)))$est
    "sfun.FE.ranktest.tau": 0.9555555555555556,  # suppressWarnings(ranktest(rma(yi, vi, data=sfun, method="FE", control=list(threshold=1e-12, tol=1e-12))))$tau
    "sfun.FE.ranktest.p": 5.5114638448650055e-06,  # suppressWarnings(ranktest(rma(yi, vi, data=sfun, method="FE", control=list(threshold=1e-12, tol=1e-12))))$pval
    "sfun.FE.trimfill.k0": 5,  # trimfill(rma(yi, vi, data=sfun, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$k0
    "sfun.FE.trimfill.right": 0,  # as.numeric(trimfill(rma(yi, vi, data=sfun, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$side == "right")
    "sfun.FE.trimfill.estimate": 0.10241379310344831,  # coef(trimfill(rma(yi, vi, data=sfun, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sfun.FE.trimfill.se": 0.034088708186481811,  # trimfill(rma(yi, vi, data=sfun, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$se
    "sfun.FE.leave1out.estimate": [0.1516869728209935, 0.13652246256239603, 0.13317127898279735, 0.13176555716353117, 0.13131710808876162, 0.13208955223880595, 0.13215297450424929, 0.17947799385875127, 0.14133921411387332, 0.13219081272084809],  # leave1out(rma(yi, vi, data=sfun, method="FE", control=list(threshold=1e-12, tol=1e-12)))$estimate
    "sfun.FE.leave1out.se": [0.041072774693139989, 0.038697598888481143, 0.036691929376583839, 0.03608961350035382, 0.035895338196252388, 0.035767550897820008, 0.035704166919433435, 0.042922891516904531, 0.037992950850841409, 0.035666297896665845],  # leave1out(rma(yi, vi, data=sfun, method="FE", control=list(threshold=1e-12, tol=1e-12)))$se
    "sfun.FE.leave1out.tau2": [],  # leave1out(rma(yi, vi, data=sfun, method="FE", control=list(threshold=1e-12, tol=1e-12)))$tau2
    "sfun.DL.regtest.z": 3.8278039620057736,  # regtest(rma(yi, vi, data=sfun, method="DL", control=list(threshold=1e-12, tol=1e-12)))$zval
    "sfun.DL.regtest.p": 0.00012929166659972412,  # regtest(rma(yi, vi, data=sfun, method="DL", control=list(threshold=1e-12, tol=1e-12)))$pval
    "sfun.DL.regtest.est": -0.085058546289735443,  # regtest(rma(yi, vi, data=sfun, method="DL", control=list(threshold=1e-12, tol=1e-12)))$est
    "sfun.DL.ranktest.tau": 0.9555555555555556,  # suppressWarnings(ranktest(rma(yi, vi, data=sfun, method="DL", control=list(threshold=1e-12, tol=1e-12))))$tau
    "sfun.DL.ranktest.p": 5.5114638448650055e-06,  # suppressWarnings(ranktest(rma(yi, vi, data=sfun, method="DL", control=list(threshold=1e-12, tol=1e-12))))$pval
    "sfun.DL.trimfill.k0": 5,  # trimfill(rma(yi, vi, data=sfun, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$k0
    "sfun.DL.trimfill.right": 0,  # as.numeric(trimfill(rma(yi, vi, data=sfun, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$side == "right")
    "sfun.DL.trimfill.estimate": 0.11320139130233381,  # coef(trimfill(rma(yi, vi, data=sfun, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sfun.DL.trimfill.se": 0.062558740987603029,  # trimfill(rma(yi, vi, data=sfun, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$se
    "sfun.DL.leave1out.estimate": [0.22739097595625274, 0.21115101374523751, 0.19114497893232321, 0.17774515108363428, 0.17021633231180358, 0.16814718580685412, 0.16345362227318991, 0.22609625053451576, 0.21323516004935691, 0.15868042644907324],  # leave1out(rma(yi, vi, data=sfun, method="DL", control=list(threshold=1e-12, tol=1e-12)))$estimate
    "sfun.DL.leave1out.se": [0.067759251035671597, 0.065601415720404885, 0.060150031913307915, 0.056137292918704076, 0.053313269080188068, 0.051768178472524171, 0.049530007448776045, 0.061660514922780907, 0.064205506948891669, 0.047268519985367324],  # leave1out(rma(yi, vi, data=sfun, method="DL", control=list(threshold=1e-12, tol=1e-12)))$se
    "sfun.DL.leave1out.tau2": [0.015179749634437703, 0.014232248645309829, 0.011770829589041069, 0.0098743459728086007, 0.0083470532711934359, 0.0075812713681404752, 0.0063256437254714292, 0.010064305378641576, 0.013554822531861525, 0.0050936303913167507],  # leave1out(rma(yi, vi, data=sfun, method="DL", control=list(threshold=1e-12, tol=1e-12)))$tau2
    "sfun.REML.regtest.z": 3.8278039620057736,  # regtest(rma(yi, vi, data=sfun, method="REML", control=list(threshold=1e-12, tol=1e-12)))$zval
    "sfun.REML.regtest.p": 0.00012929166659972412,  # regtest(rma(yi, vi, data=sfun, method="REML", control=list(threshold=1e-12, tol=1e-12)))$pval
    "sfun.REML.regtest.est": -0.085058546289735443,  # regtest(rma(yi, vi, data=sfun, method="REML", control=list(threshold=1e-12, tol=1e-12)))$est
    "sfun.REML.ranktest.tau": 0.9555555555555556,  # suppressWarnings(ranktest(rma(yi, vi, data=sfun, method="REML", control=list(threshold=1e-12, tol=1e-12))))$tau
    "sfun.REML.ranktest.p": 5.5114638448650055e-06,  # suppressWarnings(ranktest(rma(yi, vi, data=sfun, method="REML", control=list(threshold=1e-12, tol=1e-12))))$pval
    "sfun.REML.trimfill.k0": 5,  # trimfill(rma(yi, vi, data=sfun, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$k0
    "sfun.REML.trimfill.right": 0,  # as.numeric(trimfill(rma(yi, vi, data=sfun, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$side == "right")
    "sfun.REML.trimfill.estimate": 0.10241379310370941,  # coef(trimfill(rma(yi, vi, data=sfun, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sfun.REML.trimfill.se": 0.034088708186755814,  # trimfill(rma(yi, vi, data=sfun, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$se
    "sfun.REML.leave1out.estimate": [0.22063698288285233, 0.21035258464901188, 0.14712728701944894, 0.13187854657929671, 0.13131710809020392, 0.13208955224041852, 0.13215297450715172, 0.18005923533103335, 0.21118660465972247, 0.13219081272120287],  # leave1out(rma(yi, vi, data=sfun, method="REML", control=list(threshold=1e-12, tol=1e-12)))$estimate
    "sfun.REML.leave1out.se": [0.065024525227131119, 0.065286754869832764, 0.042228864265317148, 0.036136030138912922, 0.035895338196853442, 0.035767550898483054, 0.035704166920626591, 0.043149146025409986, 0.063393795263275973, 0.035666297896811652],  # leave1out(rma(yi, vi, data=sfun, method="REML", control=list(threshold=1e-12, tol=1e-12)))$se
    "sfun.REML.leave1out.tau2": [0.012961771297032573, 0.013984897902701967, 0.0019650496500111573, 1.5077018233373436e-05, 1.9767424725578817e-13, 2.2014706428628729e-13, 3.9810751854483436e-13, 8.3053433364558139e-05, 0.012942643710614748, 4.8794943531020165e-14],  # leave1out(rma(yi, vi, data=sfun, method="REML", control=list(threshold=1e-12, tol=1e-12)))$tau2
    "sfun.REML.knha.regtest.t": 17.210253635631442,  # regtest(rma(yi, vi, data=sfun, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$zval
    "sfun.REML.knha.regtest.p": 1.3220339833193503e-07,  # regtest(rma(yi, vi, data=sfun, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pval
    "sties.FE.regtest.z": 1.8601103326478254,  # regtest(rma(yi, vi, data=sties, method="FE", control=list(threshold=1e-12, tol=1e-12)))$zval
    "sties.FE.regtest.p": 0.062869917613317894,  # regtest(rma(yi, vi, data=sties, method="FE", control=list(threshold=1e-12, tol=1e-12)))$pval
    "sties.FE.regtest.est": -0.32112137945823871,  # regtest(rma(yi, vi, data=sties, method="FE", control=list(threshold=1e-12, tol=1e-12)))$est
    "sties.FE.ranktest.tau": 0.45056355688958299,  # suppressWarnings(ranktest(rma(yi, vi, data=sties, method="FE", control=list(threshold=1e-12, tol=1e-12))))$tau
    "sties.FE.ranktest.p": 0.16658764010038199,  # suppressWarnings(ranktest(rma(yi, vi, data=sties, method="FE", control=list(threshold=1e-12, tol=1e-12))))$pval
    "sties.FE.trimfill.k0": 3,  # trimfill(rma(yi, vi, data=sties, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$k0
    "sties.FE.trimfill.right": 0,  # as.numeric(trimfill(rma(yi, vi, data=sties, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$side == "right")
    "sties.FE.trimfill.estimate": 0.20555555555555549,  # coef(trimfill(rma(yi, vi, data=sties, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sties.FE.trimfill.se": 0.058722021951470339,  # trimfill(rma(yi, vi, data=sties, method="FE", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$se
    "sties.FE.leave1out.estimate": [0.33137254901960778, 0.27606837606837603, 0.36078431372549014, 0.29166666666666669, 0.30178571428571438, 0.26324786324786337, 0.29754098360655745],  # leave1out(rma(yi, vi, data=sties, method="FE", control=list(threshold=1e-12, tol=1e-12)))$estimate
    "sties.FE.leave1out.se": [0.076696498884737035, 0.071611487403943283, 0.076696498884737035, 0.070710678118654752, 0.073192505471140007, 0.071611487403943297, 0.070128687331827672],  # leave1out(rma(yi, vi, data=sties, method="FE", control=list(threshold=1e-12, tol=1e-12)))$se
    "sties.FE.leave1out.tau2": [],  # leave1out(rma(yi, vi, data=sties, method="FE", control=list(threshold=1e-12, tol=1e-12)))$tau2
    "sties.DL.regtest.z": 1.8601103326478254,  # regtest(rma(yi, vi, data=sties, method="DL", control=list(threshold=1e-12, tol=1e-12)))$zval
    "sties.DL.regtest.p": 0.062869917613317894,  # regtest(rma(yi, vi, data=sties, method="DL", control=list(threshold=1e-12, tol=1e-12)))$pval
    "sties.DL.regtest.est": -0.32112137945823871,  # regtest(rma(yi, vi, data=sties, method="DL", control=list(threshold=1e-12, tol=1e-12)))$est
    "sties.DL.ranktest.tau": 0.45056355688958299,  # suppressWarnings(ranktest(rma(yi, vi, data=sties, method="DL", control=list(threshold=1e-12, tol=1e-12))))$tau
    "sties.DL.ranktest.p": 0.16658764010038199,  # suppressWarnings(ranktest(rma(yi, vi, data=sties, method="DL", control=list(threshold=1e-12, tol=1e-12))))$pval
    "sties.DL.trimfill.k0": 3,  # trimfill(rma(yi, vi, data=sties, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$k0
    "sties.DL.trimfill.right": 0,  # as.numeric(trimfill(rma(yi, vi, data=sties, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$side == "right")
    "sties.DL.trimfill.estimate": 0.2110934793622439,  # coef(trimfill(rma(yi, vi, data=sties, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sties.DL.trimfill.se": 0.076889925717054414,  # trimfill(rma(yi, vi, data=sties, method="DL", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$se
    "sties.DL.leave1out.estimate": [0.33526382184213727, 0.27606837606837603, 0.36078431372549014, 0.29903848844120717, 0.31309453691694333, 0.26324786324786337, 0.3064018874569342],  # leave1out(rma(yi, vi, data=sties, method="DL", control=list(threshold=1e-12, tol=1e-12)))$estimate
    "sties.DL.leave1out.se": [0.07956263983819406, 0.071611487403943283, 0.076696498884737035, 0.076827833242078439, 0.08146676507126592, 0.071611487403943297, 0.077307518625540778],  # leave1out(rma(yi, vi, data=sties, method="DL", control=list(threshold=1e-12, tol=1e-12)))$se
    "sties.DL.leave1out.tau2": [0.0023602853745541036, 0, 0, 0.0048068669527896995, 0.0066268656716417813, 0, 0.0057444168734491208],  # leave1out(rma(yi, vi, data=sties, method="DL", control=list(threshold=1e-12, tol=1e-12)))$tau2
    "sties.REML.regtest.z": 1.8601103326478254,  # regtest(rma(yi, vi, data=sties, method="REML", control=list(threshold=1e-12, tol=1e-12)))$zval
    "sties.REML.regtest.p": 0.062869917613317894,  # regtest(rma(yi, vi, data=sties, method="REML", control=list(threshold=1e-12, tol=1e-12)))$pval
    "sties.REML.regtest.est": -0.32112137945823871,  # regtest(rma(yi, vi, data=sties, method="REML", control=list(threshold=1e-12, tol=1e-12)))$est
    "sties.REML.ranktest.tau": 0.45056355688958299,  # suppressWarnings(ranktest(rma(yi, vi, data=sties, method="REML", control=list(threshold=1e-12, tol=1e-12))))$tau
    "sties.REML.ranktest.p": 0.16658764010038199,  # suppressWarnings(ranktest(rma(yi, vi, data=sties, method="REML", control=list(threshold=1e-12, tol=1e-12))))$pval
    "sties.REML.trimfill.k0": 3,  # trimfill(rma(yi, vi, data=sties, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$k0
    "sties.REML.trimfill.right": 0,  # as.numeric(trimfill(rma(yi, vi, data=sties, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$side == "right")
    "sties.REML.trimfill.estimate": 0.21100697148115394,  # coef(trimfill(rma(yi, vi, data=sties, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12)))[[1]]
    "sties.REML.trimfill.se": 0.076448830887816538,  # trimfill(rma(yi, vi, data=sties, method="REML", control=list(threshold=1e-12, tol=1e-12)), control=list(threshold=1e-12, tol=1e-12))$se
    "sties.REML.leave1out.estimate": [0.34374044016361649, 0.27868654550777855, 0.36078431372549014, 0.30142568449680224, 0.31836314140588939, 0.26324786324786337, 0.30830698845186011],  # leave1out(rma(yi, vi, data=sties, method="REML", control=list(threshold=1e-12, tol=1e-12)))$estimate
    "sties.REML.leave1out.se": [0.087436011452605489, 0.073781861384734623, 0.076696498884737035, 0.07911172715845273, 0.086278210899556257, 0.071611487403943297, 0.079108106102292908],  # leave1out(rma(yi, vi, data=sties, method="REML", control=list(threshold=1e-12, tol=1e-12)))$se
    "sties.REML.leave1out.tau2": [0.0095034002942706447, 0.0016298232124419862, 0, 0.0067416145749058399, 0.010961488924428211, 0, 0.007302592952194248],  # leave1out(rma(yi, vi, data=sties, method="REML", control=list(threshold=1e-12, tol=1e-12)))$tau2
    "sties.REML.knha.regtest.t": 2.6143556398412477,  # regtest(rma(yi, vi, data=sties, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$zval
    "sties.REML.knha.regtest.p": 0.047419703603287885,  # regtest(rma(yi, vi, data=sties, method="REML", test="knha", control=list(threshold=1e-12, tol=1e-12)))$pval
    "trend.x2": 3.9696202531645146,  # prop.trend.test(c(1, 2, 2, 4, 6, 9), c(5, 6, 8, 10, 12, 15), score=2015:2020)$statistic
    "trend.p": 0.046328219281095477,  # prop.trend.test(c(1, 2, 2, 4, 6, 9), c(5, 6, 8, 10, 12, 15), score=2015:2020)$p.value
    "trend2.x2": 0.84690452991853382,  # prop.trend.test(c(3, 1, 4, 2, 2), c(6, 7, 9, 8, 10), score=c(2016, 2017, 2018, 2019, 2020))$statistic
    "trend2.p": 0.35742950869170642,  # prop.trend.test(c(3, 1, 4, 2, 2), c(6, 7, 9, 8, 10), score=c(2016, 2017, 2018, 2019, 2020))$p.value
    "gof.chisq.stat": 6.0144927536231885,  # chisq.test(c(30, 25, 20, 40), p=c(0.2, 0.3, 0.2, 0.3))$statistic
    "gof.chisq.p": 0.11090724613251964,  # chisq.test(c(30, 25, 20, 40), p=c(0.2, 0.3, 0.2, 0.3))$p.value
    "gof.emt.p": 0.010477050000000016,  # emt(c(5, 1, 2), c(0.2, 0.5, 0.3))
    "gof.emt2.p": 0.038804755374999923,  # emt(c(9, 0, 3), c(0.5, 0.3, 0.2))
    "binom.p": 0.80797244079580866,  # binom.test(20, 100, 26/121)$p.value
    "assoc.chisq.stat": 5.4050802139037435,  # chisq.test(matrix(c(12, 5, 7, 9, 3, 8), nrow=2), correct=FALSE)$statistic
    "assoc.chisq.p": 0.067035020175978857,  # chisq.test(matrix(c(12, 5, 7, 9, 3, 8), nrow=2), correct=FALSE)$p.value
    "assoc.fisher22.p": 0.48571428571428582,  # fisher.test(matrix(c(3, 1, 1, 3), nrow=2))$p.value
    "assoc.fisher22b.p": 0.00053672411914343734,  # fisher.test(matrix(c(10, 2, 3, 15), nrow=2))$p.value
    "assoc.fisher33.p": 0.096141953284810622,  # fisher.test(matrix(c(3, 0, 2, 1, 4, 1, 0, 2, 3), nrow=3))$p.value
    "logit.glm.beta": [0.15302473289850313, 0.1415514744122307, -0.1836578868335205, 0.28130342461909991, 0.32842331245422712],  # coef(glm(fe ~ year_c + log10_n + modality, family=binomial, data=logit, control=glm.control(epsilon=1e-14, maxit=100)))
    "logit.glm.se": [2.2911342082722492, 0.086645561230073456, 0.65912412645964269, 0.66295377159850788, 0.66211528703198863],  # sqrt(diag(vcov(glm(fe ~ year_c + log10_n + modality, family=binomial, data=logit, control=glm.control(epsilon=1e-14, maxit=100)))))
    "logit.multinom.beta": [7.6081961952551724, 0.70074138216490789, -2.1740320708197807, -3.2565468131081299, -4.9709409751043143, -5.3860991155921516, -0.63753343819289432, 0.48549942813835817, 3.4511914290256898, 3.4105262226194779],  # as.numeric(t(coef(multinom(approach ~ year_c + log10_n + modality, data=logit, trace=FALSE, reltol=1e-14, maxit=1000))))
    "logit.multinom.se": [4.1073770387221797, 0.27761231478483278, 1.1898565992895573, 1.3158912592631211, 1.8582086163215505, 3.8302719154496274, 0.18705947288411628, 1.1200495078151007, 1.4617981149590886, 1.453762746206773],  # as.numeric(t(summary(multinom(approach ~ year_c + log10_n + modality, data=logit, trace=FALSE, reltol=1e-14, maxit=1000))$standard.errors))
}
# fmt: on
