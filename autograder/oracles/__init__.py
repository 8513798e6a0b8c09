"""The student kit's ground truth: each exercise computed by torch or scikit-learn.

The instructor's grader computes expected values with the reference solutions
(``autograder_solutions``).  The kit students install cannot contain those, so there every
check asks an *oracle* instead: a function of the same name and contract built on the
library function the exercise re-implements (``torch.gather``, ``F.cross_entropy``,
``nn.functional.conv2d`` on the ``meta`` device, scikit-learn's ``KFold`` …).  Students may
read these freely: each exercise forbids exactly the library call its oracle makes.

Where no library function exists (the training loop), the kit holds answers recorded from
the reference by ``autograder release`` instead (inputs and results, never code): see
:mod:`autograder.grading.truth`.  ``tests/test_oracles.py`` shows that oracles, recorded
answers and the reference give the same verdicts.
"""
