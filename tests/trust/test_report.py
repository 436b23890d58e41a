"""report.html pieces that the end-to-end runs do not reach (many classes)."""

import pandas as pd

from biofm.trust.report import _top_confusions


def test_many_classes_list_the_most_frequent_confusions():
    y = pd.Series(["flu", "flu", "cold", "covid", "cold"])
    predicted = pd.Series(["cold", "cold", "cold", "flu", "cold"])
    table = _top_confusions(y, predicted)
    assert "3 of 5 test items wrong" in table
    assert table.index("<td>flu</td><td>cold</td><td>2</td>") < table.index("<td>covid</td><td>flu</td><td>1</td>")
