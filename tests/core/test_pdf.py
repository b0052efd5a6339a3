from linli.core import pdf


def test_chinese_notice_embeds_a_subset_of_the_font():
    doc = pdf.document("公示")
    pdf.heading(doc, "关于加装电梯的表决结果公示")
    pdf.paragraph(doc, "经业主表决，同意加装电梯的业主专有面积占比超过四分之三。" * 5)
    data = pdf.as_bytes(doc)
    assert data.startswith(b"%PDF-")
    assert b"NotoSansSC" in data
    # Subsetting keeps a page of text far below the 8 MB font file.
    assert len(data) < 300_000
