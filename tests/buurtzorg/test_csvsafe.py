from buurtzorg.csvsafe import csv_rows


def test_formula_cells_are_neutralised_and_numbers_kept() -> None:
    lines = list(csv_rows([["=1+1", "+31 6", "-x", "@SUM(A1)", "plain", -5, 3.5]]))
    assert lines == ["'=1+1,'+31 6,'-x,'@SUM(A1),plain,-5,3.5\r\n"]
