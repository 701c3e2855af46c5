#pragma once

#include <QStyledItemDelegate>

namespace nftterm::ui {

/// Draws a push button in the cells whose text is not empty (the Action
/// column: "Top up…" on risky rows) and reports a click on it. Cells with
/// no text stay plain, so that only the rows that need a hand show one.
class RowButtonDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option, const QModelIndex& index) override;

Q_SIGNALS:
    void clicked(const QModelIndex& index);

private:
    QRect buttonRect(const QStyleOptionViewItem& option) const;
    /// The cell whose button is held down (drawn sunken until released).
    QPersistentModelIndex m_pressed;
};

}  // namespace nftterm::ui
